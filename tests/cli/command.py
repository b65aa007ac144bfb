"""How the command-line tests find and call regsim: the build directory is
$REGSIM_BUILD_DIR, by default <repo>/build."""
import os
import pathlib
import subprocess

REPO = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("REGSIM_BUILD_DIR", REPO / "build"))
REGSIM = BUILD / "bin" / "regsim"
TINY = REPO / "tests" / "data" / "regions" / "tiny"


def regsim(*args, env=None):
    """Runs regsim with the arguments (paths and numbers as text); output captured as text."""
    return subprocess.run([str(REGSIM), *map(str, args)], capture_output=True, text=True, env=env)
