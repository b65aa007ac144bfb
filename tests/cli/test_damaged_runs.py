"""A run file whose variables disagree with its dimensions (damaged, or
edited by hand) is refused by every reader with one line naming what is
wrong and exit code 2 — never a crash or a read past the end. Each case
is one that crashed or misread before the shapes were checked.

The build directory is $REGSIM_BUILD_DIR, by default <repo>/build.
"""
import os
import pathlib
import shutil
import subprocess

import h5py
import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("REGSIM_BUILD_DIR", REPO / "build"))
REGSIM = BUILD / "bin" / "regsim"

SCENARIO = """\
scenario: shapes
horizon: {start: 2013-01, end: 2015-12}
experiment: {replications: 4, seed: 3}
uncertainties:
  replacement.growth_rate: {uniform: [0.04, 0.12]}
goals:
  - {name: low-unemployment, indicator: unemployment_rate, at: 2015-12, below: 0.05}
"""


def regsim(*args):
    return subprocess.run([str(REGSIM), *map(str, args)], capture_output=True, text=True,
                          timeout=120)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    d = tmp_path_factory.mktemp("shapes")
    (d / "s.yaml").write_text(SCENARIO)
    out = d / "s.h5"
    r = regsim("run", d / "s.yaml", "-o", out, "-q")
    assert r.returncode == 0, r.stderr
    return out


def replace(f, name, data):
    """Replaces a variable by one holding `data` (no dimension scales)."""
    del f[name]
    f.create_dataset(name, data=data)


DAMAGE = {
    "goal probabilities shorter than the goals":
        lambda f: replace(f, "goals/probability", np.zeros(0)),
    "a scalar city dimension": lambda f: replace(f, "city", np.int32(1)),
    "no digests": lambda f: replace(f, "checksums/digest", np.zeros(0, dtype=np.uint64)),
    "fewer replicate indices than rows": lambda f: f["replicate"].resize((2,)),
    "aggregates over fewer groups than the group axis":
        lambda f: replace(f, "aggregates/population", np.zeros((4, 3, 3), dtype=np.float32)),
    "more trajectory rows than replicates":
        lambda f: replace(f, "trajectories/population", np.zeros((9, 262, 3), dtype=np.float32)),
}


@pytest.mark.parametrize("damage", DAMAGE)
@pytest.mark.parametrize("command", ["inspect", "verify", "replay", "compare"])
def test_every_reader_refuses_a_run_file_whose_shapes_disagree(run, tmp_path, damage, command):
    bad = tmp_path / "bad.h5"
    shutil.copy(run, bad)
    with h5py.File(bad, "r+") as f:
        DAMAGE[damage](f)
    args = {"inspect": [bad], "verify": [bad], "replay": [bad, "--replicate", 0],
            "compare": [run, bad]}[command]
    r = regsim(command, *args)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert f"{bad}: error: damaged run file: " in r.stderr, r.stderr
    assert len(r.stderr.splitlines()) <= 3, r.stderr
