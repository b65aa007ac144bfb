"""`regsim calibrate` as a user runs it, on the three cities of tests/data/regions/tiny: a target
made from a known job-finding rate is matched by a shrinking box that keeps that rate; the output
files are identical for -j 1 and -j 2; nroy.csv is a `sampling: design` file a scenario runs; a
calibration that rules out everything says so and exits 0.

The build directory is $REGSIM_BUILD_DIR, by default <repo>/build.
"""
import csv
import os
import pathlib
import subprocess

import h5py
import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("REGSIM_BUILD_DIR", REPO / "build"))
REGSIM = BUILD / "bin" / "regsim"
TINY = REPO / "tests" / "data" / "regions" / "tiny"
TRUTH = 0.03  # labour.job_finding_rate behind the target

SCENARIO = f"""\
scenario: tiny-truth
horizon: {{start: 2013-01, end: 2016-12}}
region: {TINY}
experiment: {{replications: 4, seed: 9}}
outputs: {{resolution: monthly}}
"""

TARGETS = """\
targets:
  - name: coal-unemployed-ex-miners-2015
    indicator: unemployed_ex_miners
    where: {{resource: [coal]}}
    at: 2015-12
    value: {value}
    error: {error}
    discrepancy: 0.02
    source: "test: the model's mean at job_finding_rate = 0.03"
parameters:
  labour.job_finding_rate: [0.005, 0.1]
"""

FILES = ["nroy.csv", "waves.csv", "runs.csv", "fit.csv", "fit.md"]


def regsim(*args, **kw):
    return subprocess.run([str(REGSIM), *map(str, args)], capture_output=True, text=True, **kw)


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    if not REGSIM.exists():
        pytest.skip(f"{REGSIM} is missing: build first")
    d = tmp_path_factory.mktemp("calibrate")
    scenario = d / "tiny.yaml"
    scenario.write_text(SCENARIO)
    # The observation: the coal city's unemployed ex-miners in 2015-12, mean of 4 runs at the truth
    # (other seeds than the calibration's).
    truth = d / "truth.h5"
    r = regsim("run", scenario, "-o", truth, "--seed", 1234, "-q",
               "--set", f"parameters.labour.job_finding_rate={TRUTH}")
    assert r.returncode == 0, r.stderr
    with h5py.File(truth) as f:
        month = list(np.asarray(f["time"])).index(1064)  # days since 2013-01-01 to 2015-12-01
        coal = [i for i, res in enumerate(f["primary_resource"].asstr()[()]) if res == "coal"]
        value = float(np.asarray(f["trajectories/unemployed_ex_miners"])[:, coal, month].sum(axis=1).mean())
    targets = d / "targets.yaml"
    targets.write_text(TARGETS.format(value=value, error=0.02 * value))
    return d, scenario, targets


@pytest.fixture(scope="module")
def calibrations(setup):
    d, scenario, targets = setup
    out = {}
    for j in (1, 2):
        o = d / f"j{j}"
        r = regsim("calibrate", scenario, "--targets", targets, "-o", o, "--waves", 3, "--points", 12,
                   "--replications", 3, "-j", j)
        assert r.returncode == 0, r.stderr
        out[j] = (o, r.stderr)
    return out


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_outputs_are_identical_for_any_thread_count(calibrations):
    for name in FILES:
        assert (calibrations[1][0] / name).read_bytes() == (calibrations[2][0] / name).read_bytes(), name
    assert not list(calibrations[1][0].glob("*.partial"))


def test_progress_is_one_line_per_wave(calibrations):
    lines = [ln for ln in calibrations[1][1].splitlines() if ln.startswith("regsim: wave ")]
    assert [ln.split(":")[1] for ln in lines] == [" wave 1/3", " wave 2/3", " wave 3/3"]


def test_the_box_shrinks_and_keeps_the_true_value(calibrations):
    waves = rows(calibrations[1][0] / "waves.csv")
    assert len(waves) == 36
    first = [w for w in waves if w["wave"] == "1"]
    last = [w for w in waves if w["wave"] == "3"]
    span = lambda ws: (min(float(w["labour.job_finding_rate"]) for w in ws),  # noqa: E731
                       max(float(w["labour.job_finding_rate"]) for w in ws))
    lo1, hi1 = span(first)
    lo3, hi3 = span(last)
    assert hi3 - lo3 < 0.6 * (hi1 - lo1)
    assert sum(w["non_implausible"] == "0" for w in first) > 0  # the target rules points out
    nroy = [float(r["labour.job_finding_rate"]) for r in rows(calibrations[1][0] / "nroy.csv")]
    assert nroy
    stratum = (hi3 - lo3) / 12
    assert min(nroy) - stratum <= TRUTH <= max(nroy) + stratum
    for w in waves:  # the recorded maximum is the target's implausibility (one target)
        assert float(w["max_implausibility"]) == pytest.approx(
            float(w["implausibility:coal-unemployed-ex-miners-2015"]))
        assert (w["non_implausible"] == "1") == (float(w["max_implausibility"]) <= 3)


def test_fit_reports_the_observation_against_the_kept_runs(calibrations, setup):
    (fit,) = rows(calibrations[1][0] / "fit.csv")
    assert fit["name"] == "coal-unemployed-ex-miners-2015"
    assert fit["where"] == "resource=coal"
    assert fit["date"] == "2015-12"
    assert float(fit["simulated_p05"]) <= float(fit["simulated_median"]) <= float(fit["simulated_p95"])
    assert float(fit["simulated_p05"]) <= float(fit["observed"]) <= float(fit["simulated_p95"])
    assert float(fit["implausibility_best"]) <= 3
    md = (calibrations[1][0] / "fit.md").read_text()
    assert "Status: complete: 3 waves." in md
    assert "| coal-unemployed-ex-miners-2015 | unemployed_ex_miners | resource=coal | 2015-12 |" in md


def test_nroy_is_a_design_that_a_scenario_validates_and_runs(calibrations, tmp_path):
    scenario = tmp_path / "nroy.yaml"
    scenario.write_text(f"""\
scenario: tiny-nroy
horizon: {{start: 2013-01, end: 2016-12}}
region: {TINY}
experiment: {{sampling: design, file: {calibrations[1][0] / 'nroy.csv'}, seed: 9}}
""")
    assert regsim("validate", scenario).returncode == 0
    r = regsim("run", scenario, "-o", tmp_path / "nroy.h5", "-q")
    assert r.returncode == 0, r.stderr
    n = len(rows(calibrations[1][0] / "nroy.csv"))
    with h5py.File(tmp_path / "nroy.h5") as f:
        assert len(f["replicate"]) == n  # one run per non-implausible set


def test_default_output_is_next_to_the_targets(setup):
    d, scenario, targets = setup
    r = regsim("calibrate", scenario, "--targets", targets, "--waves", 1, "--points", 4, "-q")
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    for name in FILES:
        assert (d / "tiny-truth-calibration" / name).is_file()


def test_a_calibration_that_rules_out_everything_says_so_and_exits_0(setup, tmp_path):
    d, scenario, _ = setup
    targets = tmp_path / "impossible.yaml"
    targets.write_text(TARGETS.format(value=1e9, error=1.0))
    r = regsim("calibrate", scenario, "--targets", targets, "-o", tmp_path / "out", "--points", 5)
    assert r.returncode == 0, r.stderr
    assert "no point is non-implausible" in r.stderr
    assert len([ln for ln in r.stderr.splitlines() if ln.startswith("regsim: wave ")]) == 1
    assert (tmp_path / "out" / "nroy.csv").read_text() == "labour.job_finding_rate\n"
    assert len(rows(tmp_path / "out" / "waves.csv")) == 5  # what was computed is kept
    assert "no point of wave 1 is non-implausible" in (tmp_path / "out" / "fit.md").read_text()


def test_bad_targets_exit_2_and_write_nothing(setup, tmp_path):
    d, scenario, _ = setup
    targets = tmp_path / "bad.yaml"
    targets.write_text(TARGETS.format(value=1, error=1).replace("indicator: unemployed_ex_miners",
                                                                "indicator: unemployed_exminers"))
    r = regsim("calibrate", scenario, "--targets", targets, "-o", tmp_path / "out")
    assert r.returncode == 2
    assert f"{targets}:3:16: error: unknown indicator 'unemployed_exminers'" in r.stderr
    assert "did you mean 'unemployed_ex_miners'?" in r.stderr
    assert not (tmp_path / "out").exists()
