"""Replications until precise (`experiment: {replications: auto, precision:
...}`): a run adds batches of replications until the 90 % interval of every
named goal is narrow enough, or the cap; the file says why it stopped; the
answer is the same for any thread count and after a kill and --resume; bad
input is refused with exit code 2.
"""
import concurrent.futures
import math
import os
import pathlib
import signal
import subprocess

import h5py
import pytest

from command import REGSIM, regsim
from runfiles import assert_same_datasets, text

Z90 = 1.6448536269514722

# The national goal's threshold sits near the median 2016 rate, so its
# probability is near 1/2 and the run needs several batches of 8; the
# second goal is met almost always and is not named, so it does not count.
SCENARIO = """\
scenario: precise
horizon: {start: 2013-01, end: 2016-12}
experiment:
  replications: auto
  seed: 11
  precision: {goals: [near-the-median], half_width: 0.1, batch: 8, max_replications: 200}
uncertainties:
  replacement.growth_rate: {uniform: [0.04, 0.12]}
goals:
  - name: near-the-median
    indicator: unemployment_rate
    where: all
    at: 2016-12
    below: 0.0417
  - name: declining-below-6-5pct
    indicator: unemployment_rate
    where: {category: [declining]}
    at: 2016-12
    below: 0.065
outputs: {replicates: 2}
"""


def wilson_half_width(met, n):
    p = met / n
    denom = 1 + Z90 * Z90 / n
    centre = (p + Z90 * Z90 / (2 * n)) / denom
    half = Z90 * math.sqrt(p * (1 - p) / n + Z90 * Z90 / (4 * n * n)) / denom
    return (min(1.0, centre + half) - max(0.0, centre - half)) / 2


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    path = tmp_path_factory.mktemp("precise") / "precise.yaml"
    path.write_text(SCENARIO)
    return path


@pytest.fixture(scope="module")
def reference(scenario):
    out = scenario.parent / "reference.h5"
    r = regsim("run", scenario, "-o", out, "-j", 2, "--block", 4)
    assert r.returncode == 0, r.stderr
    assert "precise" in r.stderr and "precision reached" in r.stderr, r.stderr
    return out


def test_an_auto_run_stops_at_the_first_batch_where_the_goal_is_precise(reference):
    with h5py.File(reference, "r") as f:
        n = int(f.attrs["replications"])
        assert text(f.attrs["replications_rule"]) == "auto"
        assert text(f.attrs["replications_stop_reason"]) == "precision reached"
        assert f.attrs["precision_half_width"] == 0.1
        assert int(f.attrs["max_replications"]) == 200
        assert int(f.attrs["precision_batch"]) == 8
        assert n % 8 == 0 and 8 < n < 200
        assert f["replicate"][()].tolist() == list(range(n))
        # The goal's interval as the file reports it is narrow enough ...
        low, high = f["goals/probability_low"][0], f["goals/probability_high"][0]
        achieved = (high - low) / 2
        assert achieved <= 0.1
        assert f.attrs["precision_half_width_achieved"] == pytest.approx(achieved, abs=1e-12)
        assert text(f.attrs["precision_goals"]) == f"near-the-median={achieved:.4f}"
        # ... and was not one batch earlier: the run stopped at the first
        # checkpoint where it was.
        met = f["goals/met"][:, 0]
        assert wilson_half_width(int(met[: n - 8].sum()), n - 8) > 0.1
        assert wilson_half_width(int(met.sum()), n) == pytest.approx(achieved, abs=1e-12)
    shown = regsim("inspect", reference)
    assert shown.returncode == 0
    assert "replications: auto, precision reached" in shown.stdout


def test_the_cap_stops_a_run_and_the_file_says_so(scenario, tmp_path):
    out = tmp_path / "capped.h5"
    r = regsim("run", scenario, "-o", out, "-j", 2, "--set",
               "experiment.precision.max_replications=20")
    assert r.returncode == 0, r.stderr
    assert "cap reached" in r.stderr
    with h5py.File(out, "r") as f:
        assert int(f.attrs["replications"]) == 20  # 8, 16, then the cap
        assert text(f.attrs["replications_stop_reason"]) == "cap reached"
        assert f.attrs["precision_half_width_achieved"] > 0.1


def test_the_answer_does_not_depend_on_the_thread_count(scenario, reference, tmp_path):
    out = tmp_path / "one-thread.h5"
    r = regsim("run", scenario, "-o", out, "-j", 1, "--quiet")
    assert r.returncode == 0, r.stderr
    assert_same_datasets(reference, out)


def test_a_killed_auto_run_resumed_ends_where_an_uninterrupted_one_does(scenario, reference,
                                                                       tmp_path):
    # Blocks of 4: two crash points per block written, then one per block
    # assembled. The points fall in the first batch, mid-run, in the last
    # batch and during assembly.
    with h5py.File(reference, "r") as f:
        blocks = int(f.attrs["replications"]) // 4
    points = [1, 5, blocks, 2 * blocks - 1, 2 * blocks + 3]

    def crash_at(n):
        target = tmp_path / f"crash-{n}.h5"
        env = dict(os.environ, REGSIM_CRASH_AT=str(n))
        r = regsim("run", scenario, "-o", target, "-j", 1, "--block", 4, "--quiet", env=env)
        assert r.returncode == -signal.SIGKILL, (n, r.returncode, r.stderr)
        assert not target.exists()
        # Resumed with another thread count and block size.
        r = regsim("run", scenario, "-o", target, "-j", 2, "--resume", "--quiet")
        assert r.returncode == 0, r.stderr
        assert not pathlib.Path(str(target) + ".parts").exists()
        assert_same_datasets(reference, target)

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(crash_at, n) for n in points]:
            future.result()


def test_an_auto_file_verifies_and_replays_and_its_progress_ends_at_the_count(reference,
                                                                             scenario, tmp_path):
    v = regsim("verify", reference)
    assert v.returncode == 0, v.stdout + v.stderr
    with h5py.File(reference, "r") as f:
        n = int(f.attrs["replications"])
    p = regsim("replay", reference, "--replicate", n - 1, "-o", tmp_path / "replayed.h5")
    assert p.returncode == 0, p.stdout + p.stderr
    # Progress lines (stderr is not a terminal) end at the count reached,
    # not at the cap.
    r = regsim("run", scenario, "-o", tmp_path / "again.h5")
    assert r.returncode == 0, r.stderr
    progress = [line for line in r.stderr.splitlines() if "/200 replications" in line or
                f"/{n} replications" in line]
    assert progress[-1].startswith(f"regsim: {n}/{n} replications (100 %)"), r.stderr


def test_a_terminated_auto_run_resumes_to_the_same_file(scenario, tmp_path):
    # A narrower target, so the run is still going well after its first
    # checkpoint (near P = 1/2, +-0.05 takes about 270 replications).
    narrower = ["--set", "experiment.precision.half_width=0.05"]
    reference = tmp_path / "reference.h5"
    r = regsim("run", scenario, "-o", reference, "--quiet", *narrower)
    assert r.returncode == 0, r.stderr
    target = tmp_path / "stopped.h5"
    p = subprocess.Popen([str(REGSIM), "run", str(scenario), "-o", str(target), "--block", "1",
                          *narrower], stderr=subprocess.PIPE, text=True)
    line = p.stderr.readline()
    while line and "replications:" not in line:  # the first checkpoint's verdict
        line = p.stderr.readline()
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=120)
    assert p.returncode == 128 + signal.SIGTERM, err
    assert not target.exists()
    assert "continuing" in line, line
    r = regsim("run", scenario, "-o", target, "--resume", "--quiet", *narrower)
    assert r.returncode == 0, r.stderr
    assert_same_datasets(reference, target)


@pytest.mark.parametrize("args,message", [
    (["--set", "experiment.precision.half_width=0.7"],
     "'experiment.precision.half_width' = 0.7 is out of range"),
    (["--set", "experiment.precision.goals=near-the-medain"],
     "did you mean 'near-the-median'?"),
    (["-n", "50"], "'experiment.precision' is only used with replications: auto"),
    (["--set", "experiment.sampling=latin_hypercube"],
     "replications: auto needs sampling: monte_carlo"),
    (["--shard", "1/2"], "a run with replications: auto cannot be split into shards"),
    # The free-space check plans for the cap, not for the first batch.
    (["--set", "experiment.precision.max_replications=10000000"],
     "the 10000000 replications to compute"),
])
def test_bad_input_is_refused_with_exit_code_2(scenario, tmp_path, args, message):
    out = tmp_path / "never.h5"
    r = regsim("run", scenario, "-o", out, *args)
    assert r.returncode == 2, r.stderr
    assert message in r.stderr, r.stderr
    assert not out.exists()
    assert not pathlib.Path(str(out) + ".parts").exists()


def test_validate_says_the_count_is_a_cap(scenario):
    r = regsim("validate", scenario)
    assert r.returncode == 0, r.stderr
    assert "up to 200 runs (monte_carlo, replications: auto in batches of 8 until every 90 % " \
           "half-width <= 0.1)" in r.stdout


def test_precision_can_be_switched_off_for_a_fixed_count(scenario):
    r = regsim("validate", scenario, "--set", "experiment.precision=~", "--set",
               "experiment.replications=5")
    assert r.returncode == 0, r.stderr
    assert ", 5 runs (monte_carlo)" in r.stdout


def test_attribute_takes_a_fixed_count_from_n_and_refuses_auto_without(scenario, tmp_path):
    with_policy = tmp_path / "with-policy.yaml"
    with_policy.write_text(SCENARIO.replace("goals:\n", """\
policies:
  - name: seats
    lever: training_seats
    where: {category: [declining]}
    when: {from: 2014-01}
    set: {seats_per_1000_unemployed: 80}
goals:
""", 1))
    out = tmp_path / "shares.h5"
    r = regsim("attribute", with_policy, "-o", out)
    assert r.returncode == 2, r.stderr
    assert "this scenario has replications: auto" in r.stderr
    assert "-n N (replications per coalition)" in r.stderr
    assert not out.exists()
    r = regsim("attribute", with_policy, "-n", 2, "-j", 2, "-o", out)
    assert r.returncode == 0, r.stderr
    with h5py.File(out, "r") as f:
        assert int(f.attrs["replications"]) == 2
