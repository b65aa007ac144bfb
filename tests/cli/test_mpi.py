"""`mpirun -np R regsim run` (built with -DREGSIM_MPI=ON, which tools/test
does in build-mpi/): 1, 2 and 3 ranks give the datasets of the build
without MPI; a rank that dies leaves its finished blocks, and `--resume`
without MPI completes the run to the same datasets.

The builds are $REGSIM_BUILD_DIR (default <repo>/build) and
$REGSIM_MPI_BUILD_DIR (default <repo>/build-mpi).
"""
import os
import pathlib
import shutil
import subprocess

import pytest

from runfiles import assert_same_datasets
from test_journal import SCENARIO

REPO = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("REGSIM_BUILD_DIR", REPO / "build"))
MPI_BUILD = pathlib.Path(os.environ.get("REGSIM_MPI_BUILD_DIR", REPO / "build-mpi"))
REGSIM = BUILD / "bin" / "regsim"
REGSIM_MPI = MPI_BUILD / "bin" / "regsim"

pytestmark = pytest.mark.skipif(
    not REGSIM_MPI.exists() or shutil.which("mpirun") is None,
    reason=f"no MPI build at {REGSIM_MPI} (tools/test builds it) or no mpirun")


def mpirun(*args):
    """mpirun as tools/test can run it: as root in a container, more ranks
    than cores, each rank free to use every core for its threads."""
    flags = ["--oversubscribe", "--bind-to", "none"]
    if os.geteuid() == 0:
        flags.append("--allow-run-as-root")
    return subprocess.run(["mpirun", *flags, *map(str, args)], capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    path = tmp_path_factory.mktemp("mpi") / "mpi.yaml"
    path.write_text(SCENARIO)
    return path


@pytest.fixture(scope="module")
def serial(scenario):
    """The run by the build without MPI."""
    out = scenario.parent / "serial.h5"
    r = subprocess.run([str(REGSIM), "run", scenario, "-o", out, "-q"], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr
    return out


@pytest.mark.parametrize("ranks", [1, 2, 3])
def test_ranks_give_the_datasets_of_the_build_without_mpi(scenario, serial, tmp_path, ranks):
    out = tmp_path / f"ranks-{ranks}.h5"
    r = mpirun("-np", ranks, REGSIM_MPI, "run", scenario, "-o", out, "-j", 1, "-q", "--block", 4)
    assert r.returncode == 0, r.stdout + r.stderr
    assert not pathlib.Path(str(out) + ".parts").exists()
    assert_same_datasets(serial, out)


def test_a_rank_that_dies_leaves_blocks_that_resume_completes(scenario, serial, tmp_path):
    out = tmp_path / "died.h5"
    run = [REGSIM_MPI, "run", scenario, "-o", out, "-j", 1, "-q", "--block", 4]
    # Rank 1 kills itself at its third journal step (after its first block
    # is in place, before its second is); mpirun then ends the job.
    r = mpirun("-np", 1, *run, ":", "-np", 1, "env", "REGSIM_CRASH_AT=3", *run)
    assert r.returncode != 0
    assert not out.exists()
    parts = pathlib.Path(str(out) + ".parts")
    assert sorted(parts.glob("*.h5")), "the finished blocks are kept"
    r = subprocess.run([str(REGSIM), "run", scenario, "-o", out, "-j", "2", "--resume", "-q"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert_same_datasets(serial, out)


def test_bad_input_under_mpi_is_reported_once_with_exit_2(scenario, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SCENARIO.replace("experiment:", "experimnet:"))
    r = mpirun("-np", 2, REGSIM_MPI, "run", bad, "-o", tmp_path / "bad.h5", "-q")
    assert r.returncode == 2, r.stdout + r.stderr
    assert r.stderr.count("unknown key 'experimnet'") == 1, r.stderr


def test_an_auto_run_is_refused_under_mpirun(tmp_path):
    # replications: auto decides its count as it goes, on one process.
    scenario = tmp_path / "auto.yaml"
    scenario.write_text(SCENARIO.replace(
        "experiment: {replications: 28, seed: 11}",
        "experiment: {replications: auto, seed: 11, precision: {half_width: 0.1, batch: 4}}"))
    out = tmp_path / "auto.h5"
    r = mpirun("-np", 2, REGSIM_MPI, "run", scenario, "-o", out, "-q")
    assert r.returncode == 2, r.stdout + r.stderr
    assert "a run with replications: auto runs on one process, not under mpirun" in r.stderr
    assert not out.exists()
    assert not pathlib.Path(str(out) + ".parts").exists()
