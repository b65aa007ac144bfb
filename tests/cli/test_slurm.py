"""tools/slurm/ job scripts, run against stand-ins for sbatch and srun that
execute the jobs here, in order (array tasks one after another, the merge
after them; srun as mpirun with two ranks): the commands the scripts
submit produce the run file one process gives.
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

# sbatch: runs --wrap now, once per array index; prints a job id.
SBATCH = r"""#!/usr/bin/env bash
array=""; wrap=""
while (($#)); do
  case "$1" in
    --array) array=$2; shift 2;;
    --wrap) wrap=$2; shift 2;;
    --parsable|--requeue) shift;;
    *) shift 2;;
  esac
done
if [[ -n "$array" ]]; then
  for ((k = ${array%-*}; k <= ${array#*-}; k++)); do SLURM_ARRAY_TASK_ID=$k bash -c "$wrap" || exit 1; done
else
  bash -c "$wrap" || exit 1
fi
echo $RANDOM
"""

# srun: the job's ranks, as mpirun starts them here.
SRUN = r"""#!/usr/bin/env bash
exec mpirun --oversubscribe --bind-to none --allow-run-as-root -np 2 "$@"
"""


def stand_ins(tmp_path, **scripts):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, text in scripts.items():
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    return dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}")


@pytest.fixture
def scenario(tmp_path):
    path = tmp_path / "slurm.yaml"
    path.write_text(SCENARIO)
    single = tmp_path / "single.h5"
    r = subprocess.run([str(BUILD / "bin" / "regsim"), "run", path, "-o", single, "-q"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return path, single


def test_the_array_script_shards_and_merges_to_one_run(scenario, tmp_path):
    path, single = scenario
    env = stand_ins(tmp_path, sbatch=SBATCH)
    out = tmp_path / "runs" / "array.h5"
    env.update(SCENARIO=str(path), REPLICATIONS="28", SHARDS="5", CORES="2", OUT=str(out),
               REGSIM=str(BUILD / "bin" / "regsim"))
    r = subprocess.run([str(REPO / "tools" / "slurm" / "array.sh")], cwd=tmp_path, env=env,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "(5 tasks); merge: job" in r.stdout
    assert_same_datasets(single, out)
    assert not pathlib.Path(str(out) + ".shards").exists()


@pytest.mark.skipif(not (MPI_BUILD / "bin" / "regsim").exists() or shutil.which("mpirun") is None,
                    reason="no MPI build (tools/test builds it) or no mpirun")
def test_the_mpi_script_runs_the_ranks_to_one_run(scenario, tmp_path):
    path, single = scenario
    env = stand_ins(tmp_path, srun=SRUN)
    out = tmp_path / "runs" / "mpi.h5"
    env.update(SCENARIO=str(path), REPLICATIONS="28", OUT=str(out), SLURM_CPUS_PER_TASK="1",
               REGSIM=str(MPI_BUILD / "bin" / "regsim"))
    r = subprocess.run(["bash", str(REPO / "tools" / "slurm" / "mpi.sh")], cwd=tmp_path, env=env,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert_same_datasets(single, out)
