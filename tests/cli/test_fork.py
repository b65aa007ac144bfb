"""Branches forked at a month (`regsim run A.yaml B.yaml --fork-at YYYY-MM -o DIR`):
scenarios that share their past simulate it once per replication and each
goes on from there; every branch's file holds what a run of that scenario
alone writes, for any thread count and after a kill and --resume; what
breaks a shared past, and every misuse, is refused with exit code 2 and
nothing left behind.
"""
import os
import signal
import subprocess

import h5py
import pytest

from command import REGSIM, TINY, regsim
from runfiles import assert_same_datasets

# A plan with a policy before the fork (2015-01), a sampled parameter and a
# goal; two branches of it: one adds public jobs from the fork on, one
# also runs a year longer and adds a trigger that counts months before it.
BASE = f"""\
scenario: base
region: {TINY}
horizon: {{start: 2013-01, end: 2016-12}}
experiment: {{replications: 6, seed: 21}}
uncertainties:
  labour.job_finding_rate: {{uniform: [0.02, 0.06]}}
policies:
  - {{name: seats, lever: training_seats, where: all, when: {{from: 2013-06, to: 2015-12}},
     set: {{seats_per_1000_unemployed: 60}}}}
goals:
  - {{name: low, indicator: unemployment_rate, where: all, at: 2016-12, below: 0.06}}
outputs: {{replicates: 3}}
"""
JOBS = """\
scenario: jobs
extends: base.yaml
policies:
  - {name: jobs, lever: public_jobs, where: all, when: {from: 2015-01, to: 2016-06},
     set: {share_of_unemployed: 0.2}}
"""
LONGER = """\
scenario: longer
extends: base.yaml
horizon: {end: 2017-12}
policies:
  - {name: emergency, lever: public_jobs, where: all, when: {from: 2015-01},
     trigger: {indicator: unemployment_rate, above: 0.03, for_months: 3},
     set: {share_of_unemployed: 0.1}}
"""



@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    d = tmp_path_factory.mktemp("plans")
    for name, text in {"base": BASE, "jobs": JOBS, "longer": LONGER}.items():
        (d / f"{name}.yaml").write_text(text)
    return d


@pytest.fixture(scope="module")
def alone(plans):
    """Each scenario run on its own: what its branch must reproduce."""
    out = {}
    for name in ("base", "jobs", "longer"):
        out[name] = plans / f"alone-{name}.h5"
        r = regsim("run", plans / f"{name}.yaml", "-o", out[name], "--quiet")
        assert r.returncode == 0, r.stderr
    return out


def fork(plans, out_dir, *extra, env=None):
    out_dir.mkdir(exist_ok=True)
    return regsim("run", plans / "base.yaml", plans / "jobs.yaml", plans / "longer.yaml",
                  "--fork-at", "2015-01", "-o", out_dir, *extra, env=env)


@pytest.mark.parametrize("threads", [1, 2])
def test_each_branch_is_the_run_of_its_scenario_alone(plans, alone, tmp_path, threads):
    r = fork(plans, tmp_path / "fork", "-j", threads, "--block", 2)
    assert r.returncode == 0, r.stderr
    assert "3 branches forked at 2015-01" in r.stderr
    for name in ("base", "jobs", "longer"):
        assert_same_datasets(alone[name], tmp_path / "fork" / f"{name}.h5")
    assert sorted(p.name for p in (tmp_path / "fork").iterdir()) == [
        "base.h5", "jobs.h5", "longer.h5"]  # no journal left
    # The branches differ after the fork: the check above is not vacuous.
    with h5py.File(alone["base"], "r") as a, h5py.File(alone["jobs"], "r") as b:
        assert (a["checksums/digest"][()] != b["checksums/digest"][()]).all()


def test_a_branch_file_verifies_and_replays_as_a_run_of_its_own(plans, tmp_path):
    r = fork(plans, tmp_path / "fork", "--quiet")
    assert r.returncode == 0, r.stderr
    file = tmp_path / "fork" / "longer.h5"
    v = regsim("verify", file)
    assert v.returncode == 0, v.stdout + v.stderr
    p = regsim("replay", file, "--replicate", 4, "-o", tmp_path / "replayed.h5")
    assert p.returncode == 0, p.stdout + p.stderr


def test_a_killed_fork_resumed_gives_the_same_files(plans, alone, tmp_path):
    # Blocks of 2 of 6 replications, 3 branches: two crash points per block
    # and branch, then the assembly's. Point 3 falls between the first
    # block's branches, so the journals disagree on what they hold.
    for point in (1, 3, 6, 13, 18, 20):
        out = tmp_path / f"crash-{point}"
        r = fork(plans, out, "--block", 2, "--quiet", env=dict(os.environ, REGSIM_CRASH_AT=str(point)))
        assert r.returncode == -signal.SIGKILL, (point, r.returncode, r.stderr)
        again = fork(plans, out, "--block", 2, "--resume", "--quiet", "-j", 2)
        assert again.returncode == 0, (point, again.stderr)
        for name in ("base", "jobs", "longer"):
            assert_same_datasets(alone[name], out / f"{name}.h5")
        assert not any(p.name.endswith(".parts") for p in out.iterdir()), point


def test_a_stopped_fork_keeps_its_blocks_for_resume(plans, alone, tmp_path):
    out = tmp_path / "stopped"
    out.mkdir()
    args = ["run", plans / "base.yaml", plans / "jobs.yaml", "--fork-at", "2015-01", "-o", out,
            "--block", 1, "-n", 400]
    p = subprocess.Popen([str(REGSIM), *map(str, args)], stderr=subprocess.PIPE, text=True)
    # Stop once the first blocks are written.
    line = p.stderr.readline()
    while line and "replications" not in line:
        line = p.stderr.readline()
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=120)
    assert p.returncode == 128 + signal.SIGTERM, err
    assert "--resume continues" in err
    assert (out / "base.h5.parts").is_dir() and (out / "jobs.h5.parts").is_dir()


def test_scenarios_without_a_shared_past_are_refused_and_nothing_is_left(plans, tmp_path):
    (plans / "reseeded.yaml").write_text("scenario: reseeded\nextends: base.yaml\n"
                                         "experiment: {seed: 22}\n")
    (plans / "early.yaml").write_text(
        "scenario: early\nextends: base.yaml\npolicies:\n"
        "  - {name: early-jobs, lever: public_jobs, where: all, when: {from: 2014-01},\n"
        "     set: {share_of_unemployed: 0.2}}\n")
    out = tmp_path / "refused"
    out.mkdir()
    cases = {
        "reseeded": "its seed 22 differs from base's 21",
        "early": "policy 'early-jobs' (policies[1] of early) starts in 2014-01, before the fork",
    }
    for name, message in cases.items():
        r = regsim("run", plans / "base.yaml", plans / f"{name}.yaml", "--fork-at", "2015-01",
                   "-o", out)
        assert r.returncode == 2, r.stderr
        assert f"{name} does not share base's past before 2015-01" in r.stderr
        assert message in r.stderr
        assert list(out.iterdir()) == []


@pytest.mark.parametrize("args, message", [
    (["--fork-at", "2015-13"], "'2015-13' is not a month"),
    (["--fork-at", "2018-01"], "the fork month 2018-01 is outside its run"),
    (["--fork-at", "2015-01", "--shard", "1/2"], "not in shards"),
    ([], "a second scenario without --fork-at"),
])
def test_misuse_is_refused_with_exit_code_2(plans, tmp_path, args, message):
    out = tmp_path / "out"
    out.mkdir()
    r = regsim("run", plans / "base.yaml", plans / "jobs.yaml", "-o", out, *args)
    assert r.returncode == 2, r.stderr
    assert message in r.stderr
    assert list(out.iterdir()) == []


def test_one_scenario_twice_or_alone_is_refused(plans, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    r = regsim("run", plans / "base.yaml", "--fork-at", "2015-01", "-o", out)
    assert r.returncode == 2 and "one scenario: nothing to fork" in r.stderr
    r = regsim("run", plans / "base.yaml", plans / "base.yaml", "--fork-at", "2015-01", "-o", out)
    assert r.returncode == 2 and "a second branch named 'base'" in r.stderr
    r = regsim("run", plans / "base.yaml", plans / "jobs.yaml", "--fork-at", "2015-01",
               "-o", plans / "base.yaml")
    assert r.returncode == 2 and "not a folder" in r.stderr


def test_an_existing_branch_file_is_kept_without_force(plans, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "jobs.h5").write_text("mine")
    r = fork(plans, out)
    assert r.returncode == 2 and "output file exists" in r.stderr
    assert (out / "jobs.h5").read_text() == "mine"
    assert sorted(p.name for p in out.iterdir()) == ["jobs.h5"]  # no journal of base left
