"""`experiment.design:` end to end: a run that takes calibrated parameter sets
(a `regsim calibrate` nroy.csv) beside its own sampled uncertainties records
each replicate's design row and values in /uncertainties, and `regsim verify`
and `replay` reproduce it from the file; `sampling: design` records its rows
too.

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

DESIGN = """\
labour.job_finding_rate,economy.growth_shift
0.02,-0.01
0.03,0.0
0.04,0.01
"""

SCENARIO = """\
scenario: with-design
horizon: {{start: 2013-01, end: 2015-12}}
region: {region}
experiment: {{replications: 7, seed: 11, sampling: {sampling}, design: sets/nroy.csv}}
uncertainties:
  replacement.growth_rate: {{uniform: [0.04, 0.12]}}
goals:
  - {{name: low-unemployment, indicator: unemployment_rate, at: 2015-12, below: 0.05}}
"""


def regsim(*args, **kw):
    return subprocess.run([str(REGSIM), *map(str, args)], capture_output=True, text=True, **kw)


def design_rows(path):
    with open(path, newline="") as f:
        return [[float(x) for x in row] for row in list(csv.reader(f))[1:]]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    d = tmp_path_factory.mktemp("design")
    (d / "sets").mkdir()
    (d / "sets" / "nroy.csv").write_text(DESIGN)
    scenario = d / "s.yaml"
    scenario.write_text(SCENARIO.format(region=TINY, sampling="latin_hypercube"))
    out = d / "s.h5"
    r = regsim("run", scenario, "-o", out, "-j", 2, "-q")
    assert r.returncode == 0, r.stderr
    return d, scenario, out


def test_the_run_records_each_replicates_design_row_and_values(run):
    d, _, out = run
    rows = design_rows(d / "sets" / "nroy.csv")
    with h5py.File(out, "r") as f:
        names = [n.decode() if isinstance(n, bytes) else n for n in f["uncertainties/uncertainty"][()]]
        assert names == ["labour.job_finding_rate", "economy.growth_shift", "replacement.growth_rate"]
        origin = f["uncertainties/origin"]
        assert list(origin[()]) == [1, 1, 0]
        assert origin.attrs["flag_meanings"] == b"sampled design"
        units = [u.decode() if isinstance(u, bytes) else u for u in f["uncertainties/unit"][()]]
        assert units == ["1/month", "1/year", "1/year"]
        row = f["uncertainties/design_row"]
        assert row.dims[0][0].name == "/uncertainties/replicate"  # the group's own coordinate
        assert row.shape == (7,)
        assert row.attrs["design_file"].decode() == str((d / "sets" / "nroy.csv").resolve())
        values = f["uncertainties/value"][()]
        used = row[()]
        # Each row equally often (7 replicates over 3 rows: 3, 2, 2 in some order).
        assert sorted(np.bincount(used, minlength=3)) == [2, 2, 3]
        for rep, r in enumerate(used):
            assert list(values[rep, :2]) == rows[r]
        # The sampled uncertainty still varies within the draws of one row.
        assert len(set(values[:, 2])) == 7
        # The resolved scenario names the design by its absolute path.
        assert str((d / "sets" / "nroy.csv").resolve()) in f.attrs["scenario_yaml"].decode()


def test_verify_and_replay_reproduce_a_replicate_from_the_file(run, tmp_path):
    _, _, out = run
    r = regsim("verify", out, "--sample", 7)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "7 of 7 replications reproduced exactly" in r.stdout
    replay = tmp_path / "r5.h5"
    r = regsim("replay", out, "--replicate", 5, "-o", replay)
    assert r.returncode == 0, r.stderr
    with h5py.File(out, "r") as a, h5py.File(replay, "r") as b:
        assert b["uncertainties/design_row"][0] == a["uncertainties/design_row"][5]
        assert np.array_equal(b["uncertainties/value"][0], a["uncertainties/value"][5])
        assert b["checksums/digest"][0] == a["checksums/digest"][5]


def test_a_design_file_edited_after_the_run_is_named_by_verify_and_replay(run, tmp_path):
    d, scenario, _ = run
    # A copy of the run whose design file then changes.
    (tmp_path / "sets").mkdir()
    (tmp_path / "sets" / "nroy.csv").write_text(DESIGN)
    (tmp_path / "s.yaml").write_text(scenario.read_text())
    out = tmp_path / "s.h5"
    assert regsim("run", tmp_path / "s.yaml", "-o", out, "-q").returncode == 0
    (tmp_path / "sets" / "nroy.csv").write_text(DESIGN.replace("0.03,0.0", "0.05,0.0"))
    r = regsim("verify", out, "--sample", 7)
    assert r.returncode == 3  # a verification mismatch
    assert "labour.job_finding_rate = 0.05, the file records 0.03" in r.stdout
    assert "nroy.csv' changed?" in r.stdout
    row = list(h5py.File(out, "r")["uncertainties/design_row"][()]).index(1)
    r = regsim("replay", out, "--replicate", row)
    assert r.returncode == 3
    assert "its inputs differ" in r.stderr


def test_sampling_design_records_its_rows(tmp_path):
    (tmp_path / "nroy.csv").write_text(DESIGN)
    scenario = tmp_path / "d.yaml"
    scenario.write_text(f"""\
scenario: design-only
horizon: {{start: 2013-01, end: 2014-12}}
region: {TINY}
experiment: {{sampling: design, file: nroy.csv, seed: 3}}
uncertainties:
  replacement.growth_rate: {{uniform: [0.04, 0.12]}}   # not used by sampling: design
""")
    out = tmp_path / "d.h5"
    r = regsim("run", scenario, "-o", out, "-q")
    assert r.returncode == 0, r.stderr
    with h5py.File(out, "r") as f:
        assert list(f["uncertainties/design_row"][()]) == [0, 1, 2]
        assert f["uncertainties/value"].shape == (3, 2)
        assert np.array_equal(f["uncertainties/value"][()], np.array(design_rows(tmp_path / "nroy.csv")))
    assert regsim("verify", out).returncode == 0


def test_an_overlap_with_the_design_exits_2_and_names_the_file(run, tmp_path):
    d, scenario, _ = run
    bad = d / "overlap.yaml"
    bad.write_text(scenario.read_text().replace(
        "uncertainties:\n", "uncertainties:\n  labour.job_finding_rate: {uniform: [0.01, 0.05]}\n"))
    r = regsim("run", bad, "-o", tmp_path / "never.h5", "-q")
    assert r.returncode == 2
    assert (f"overlap.yaml:6:3: error: uncertainty 'labour.job_finding_rate' is also a column of "
            f"the design '{d / 'sets' / 'nroy.csv'}'") in r.stderr
    assert not (tmp_path / "never.h5").exists()


def test_set_experiment_design_adds_a_design_to_a_scenario(tmp_path):
    (tmp_path / "nroy.csv").write_text(DESIGN)
    scenario = tmp_path / "plain.yaml"
    scenario.write_text(f"""\
scenario: plain
horizon: {{start: 2013-01, end: 2014-12}}
region: {TINY}
experiment: {{replications: 3, seed: 5}}
""")
    out = tmp_path / "plain.h5"
    r = regsim("run", scenario, "-o", out, "-q", "--set", "experiment.design=nroy.csv", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    with h5py.File(out, "r") as f:
        assert f["uncertainties/value"].shape == (3, 2)
        assert sorted(f["uncertainties/design_row"][()]) == [0, 1, 2]


def test_a_shard_run_with_an_edited_design_file_is_foreign_to_the_others(tmp_path):
    (tmp_path / "sets").mkdir()
    design = tmp_path / "sets" / "nroy.csv"
    design.write_text(DESIGN)
    scenario = tmp_path / "s.yaml"
    scenario.write_text(SCENARIO.format(region=TINY, sampling="latin_hypercube"))
    parts = tmp_path / "parts"
    assert regsim("run", scenario, "--shard", "1/2", "-o", parts, "-q").returncode == 0
    design.write_text(DESIGN.replace("0.03,0.0", "0.035,0.0"))  # edited between the shards
    assert regsim("run", scenario, "--shard", "2/2", "-o", tmp_path / "other", "-q").returncode == 0
    r = regsim("merge", parts, tmp_path / "other", "-o", tmp_path / "m.h5")
    assert r.returncode == 2
    assert "a block of another run: design file digest" in r.stderr, r.stderr
    assert not (tmp_path / "m.h5").exists()
