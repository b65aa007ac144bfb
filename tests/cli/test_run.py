"""`regsim run`, `inspect`, `verify`, `replay` and `compare` as a user runs
them: the output file opens with h5py and xarray, is identical for any
thread count, a stopped or killed run never leaves a file that looks
complete, and any replicate can be reproduced exactly from the file alone.

The build directory is $REGSIM_BUILD_DIR, by default <repo>/build.
"""
import os
import pathlib
import re
import subprocess

import h5py
import numpy as np
import pytest
import xarray as xr

REPO = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("REGSIM_BUILD_DIR", REPO / "build"))
REGSIM = BUILD / "bin" / "regsim"

SCENARIO = """\
scenario: light
description: a light run for tests
horizon: {start: 2013-01, end: 2016-12}
experiment: {replications: 6, seed: 7}
uncertainties:
  replacement.growth_rate: {uniform: [0.04, 0.12]}
goals:
  - name: unemployment-below-5pct-2016
    indicator: unemployment_rate
    where: all
    at: 2016-12
    below: 0.05
"""

# Attributes that legitimately differ between two runs of the same scenario.
VOLATILE = {"created", "command_line"}


def regsim(*args, **kw):
    return subprocess.run([str(REGSIM), *map(str, args)], capture_output=True, text=True, **kw)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    d = tmp_path_factory.mktemp("run")
    path = d / "light.yaml"
    path.write_text(SCENARIO)
    return path


@pytest.fixture(scope="module")
def runs(scenario):
    out = {}
    for threads in (1, 2):
        target = scenario.parent / f"light-j{threads}.h5"
        r = regsim("run", scenario, "-o", target, "-j", threads, "--quiet")
        assert r.returncode == 0, r.stderr
        out[threads] = target
    return out


def datasets(path):
    """{name: (array, attrs)} for every dataset, plus the root attributes."""
    found = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                attrs = {k: v for k, v in obj.attrs.items() if k not in ("DIMENSION_LIST", "REFERENCE_LIST")}
                found[name] = (obj[()], attrs)
        f.visititems(visit)
        found["/"] = (None, {k: v for k, v in f.attrs.items() if k not in VOLATILE})
    return found


def test_output_opens_with_xarray_with_units_and_dimensions(runs):
    root = xr.open_dataset(runs[1], engine="h5netcdf")
    assert root.sizes["replicate"] == 6
    assert root.sizes["city"] == 262
    assert root.sizes["time"] == 4  # Dec 2013 .. Dec 2016
    assert str(root.time.values[0])[:10] == "2013-12-01"
    assert root.city_name_zh.values[0]  # Chinese names survive
    traj = xr.open_dataset(runs[1], engine="h5netcdf", group="trajectories")
    for name, var in traj.data_vars.items():
        assert var.dims == ("replicate", "city", "time"), name
        assert var.attrs["units"], name
        assert var.attrs["long_name"], name
    rate = traj.unemployment_rate
    assert float(rate.min()) >= 0.0 and float(rate.max()) < 0.5
    goals = xr.open_dataset(runs[1], engine="h5netcdf", group="goals")
    assert 0.0 <= float(goals.probability[0]) <= 1.0
    with h5py.File(runs[1], "r") as f:
        assert f.attrs["complete"] == 1
        assert "scenario: light" in f.attrs["scenario_yaml"].decode()
        assert f["uncertainties/value"].shape == (6, 1)


def test_thread_count_does_not_change_any_dataset(runs):
    a, b = datasets(runs[1]), datasets(runs[2])
    assert a.keys() == b.keys()
    for name in a:
        (va, aa), (vb, ab) = a[name], b[name]
        if va is not None:
            assert np.array_equal(va, vb, equal_nan=va.dtype.kind == "f"), name
        assert aa.keys() == ab.keys(), name


def test_an_existing_output_is_not_replaced_without_force(scenario, runs):
    r = regsim("run", scenario, "-o", runs[1], "--quiet")
    assert r.returncode == 2
    assert "error: output file exists" in r.stderr


def test_inspect_shows_the_run_and_its_goals(runs):
    r = regsim("inspect", runs[1])
    assert r.returncode == 0, r.stderr
    assert "scenario 'light'" in r.stdout
    assert "unemployment-below-5pct-2016" in r.stdout
    assert "category:declining" in r.stdout


@pytest.mark.parametrize("content", [b"", b"not hdf5 at all\n", b"\x89HDF\r\n\x1a\n" + b"\0" * 40])
def test_inspect_rejects_corrupt_files_with_exit_2(tmp_path, content):
    bad = tmp_path / "bad.h5"
    bad.write_bytes(content)
    r = regsim("inspect", bad)
    assert r.returncode == 2, r.stderr
    assert "error:" in r.stderr


def test_a_truncated_run_file_is_rejected(runs, tmp_path):
    cut = tmp_path / "cut.h5"
    data = runs[1].read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    r = regsim("inspect", cut)
    assert r.returncode == 2, r.stderr


def test_an_invalid_scenario_exits_2_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenario: bad\nhorizon: {start: 2013-01, end: 2016-12}\nexperimnet: {replications: 2}\n")
    target = tmp_path / "bad.h5"
    r = regsim("run", bad, "-o", target)
    assert r.returncode == 2
    assert "bad.yaml:3:1: error:" in r.stderr
    assert not target.exists() and not pathlib.Path(str(target) + ".partial").exists()


def test_verify_reproduces_replications_and_catches_tampering(runs, tmp_path):
    r = regsim("verify", runs[2], "--sample", 3)
    assert r.returncode == 0, r.stderr
    assert "3 of 6 replications reproduced exactly" in r.stdout
    tampered = tmp_path / "tampered.h5"
    tampered.write_bytes(runs[2].read_bytes())
    with h5py.File(tampered, "r+") as f:
        f["checksums/digest"][0] = 12345
    r = regsim("verify", tampered, "--sample", 2)
    assert r.returncode == 3  # a verification mismatch
    assert "DIFFERS" in r.stdout


def test_compare_pairs_runs_of_the_same_seed(runs):
    r = regsim("compare", runs[1], runs[2])
    assert r.returncode == 0, r.stderr
    assert "paired over 6 replicates" in r.stdout
    assert "+0.000 ± 0.000" in r.stdout  # same results: zero difference, zero width


def test_compare_refuses_runs_of_different_regions(runs, tmp_path):
    tiny = tmp_path / "tiny.yaml"
    tiny.write_text(SCENARIO.replace("scenario: light", "scenario: tiny")
                    + f"region: {REPO / 'tests' / 'data' / 'regions' / 'tiny'}\n")
    out = tmp_path / "tiny.h5"
    r = regsim("run", tiny, "-o", out, "--quiet")
    assert r.returncode == 0, r.stderr
    r = regsim("compare", runs[1], out)
    assert r.returncode == 2
    assert "region differs" in r.stderr


def test_compare_pairs_replicates_by_index(runs, tmp_path):
    replay = tmp_path / "replay-4.h5"
    assert regsim("replay", runs[1], "--replicate", 4, "-o", replay).returncode == 0
    r = regsim("compare", runs[2], replay)
    assert r.returncode == 0, r.stderr
    assert "paired over 1 replicate, the indices in both files (A has 6, B has 1;" in r.stdout
    # Replicate 4 against itself: every goal and indicator differs by exactly 0,
    # and one pair gives no interval.
    differences = re.findall(r"→ +\S+ +(\S+) ± n/a$", r.stdout, re.M)
    assert len(differences) > 40, r.stdout
    assert all(float(d) == 0 for d in differences), r.stdout


def test_compare_refuses_runs_without_a_replicate_index_in_common(runs, tmp_path):
    two, four = tmp_path / "replay-2.h5", tmp_path / "replay-4.h5"
    assert regsim("replay", runs[1], "--replicate", 2, "-o", two).returncode == 0
    assert regsim("replay", runs[1], "--replicate", 4, "-o", four).returncode == 0
    r = regsim("compare", two, four)
    assert r.returncode == 2
    assert f"{four}: error: no replicate index in common with {two}" in r.stderr


def indicators_of(group):
    """(name, dataset) of a group's indicators, without its coordinates."""
    return [(name, ds) for name, ds in group.items() if ds.attrs.get("CLASS") != b"DIMENSION_SCALE"]


def replicate_of(path, r):
    """{dataset: values} of replicate r (by its index) of a run file;
    trajectories only if the run kept them."""
    out = {}
    with h5py.File(path, "r") as f:
        row = list(f["replicate"][()]).index(r)
        for group in ("trajectories", "aggregates"):
            for name, ds in indicators_of(f[group]):
                if row < ds.shape[0]:
                    out[f"{group}/{name}"] = ds[row]
        for name in ("met", "margin", "first_month_met"):
            out[f"goals/{name}"] = f["goals"][name][row]
        out["uncertainties/value"] = f["uncertainties/value"][row]
        out["checksums/digest"] = f["checksums/digest"][row]
        mine = f["events/replicate"][()] == r
        for name in ("month", "city", "kind", "value"):
            out[f"events/{name}"] = f["events"][name][()][mine]
    return out


def assert_same(a, b, names):
    for name in names:
        assert np.array_equal(a[name], b[name], equal_nan=a[name].dtype.kind == "f"), name


@pytest.mark.parametrize("r", [0, 4])
def test_replay_reproduces_a_replicate_of_a_parallel_run(runs, tmp_path, r):
    out = tmp_path / f"replay-{r}.h5"
    res = regsim("replay", runs[2], "--replicate", r, "-o", out)
    assert res.returncode == 0, res.stderr
    assert f"replicate {r} reproduced exactly" in res.stdout
    original, replayed = replicate_of(runs[2], r), replicate_of(out, r)
    assert original.keys() == replayed.keys()
    assert_same(original, replayed, original.keys())
    with h5py.File(out, "r") as f:
        assert list(f["replicate"][()]) == [r]
        assert f.attrs["complete"] == 1
    res = regsim("verify", out)  # the replay file is itself verifiable
    assert res.returncode == 0, res.stderr
    assert "1 of 1 replications reproduced exactly" in res.stdout


def test_replay_at_monthly_resolution_has_the_annual_values_in_december(runs, tmp_path):
    out = tmp_path / "monthly.h5"
    res = regsim("replay", runs[1], "--replicate", 2, "-o", out, "--resolution", "monthly")
    assert res.returncode == 0, res.stderr
    annual = replicate_of(runs[1], 2)
    with h5py.File(out, "r") as f:
        assert f["time"].shape == (48,)  # 2013-01 .. 2016-12
        for name, ds in indicators_of(f["trajectories"]):
            december = ds[0][:, 11::12]
            assert np.array_equal(december, annual[f"trajectories/{name}"], equal_nan=True), name


def test_replay_of_a_replicate_whose_trajectories_were_not_kept(tmp_path):
    scenario = tmp_path / "kept.yaml"
    scenario.write_text(SCENARIO + "outputs: {replicates: 2}\n")
    run = tmp_path / "kept.h5"
    assert regsim("run", scenario, "-o", run, "-j", 2, "--quiet").returncode == 0
    out = tmp_path / "replay.h5"
    res = regsim("replay", run, "--replicate", 5, "-o", out)
    assert res.returncode == 0, res.stderr
    original, replayed = replicate_of(run, 5), replicate_of(out, 5)
    assert "trajectories/population" not in original  # the run kept replicates 0 and 1
    assert not np.isnan(replayed["trajectories/population"]).any()
    assert_same(original, replayed, original.keys())


def test_replay_without_output_prints_a_summary_and_the_event_log(runs):
    res = regsim("replay", runs[2], "--replicate", 1, "--events")
    assert res.returncode == 0, res.stderr
    assert "replicate 1 reproduced exactly" in res.stdout
    assert "headline indicators at 2016-12" in res.stdout
    assert "unemployment_rate" in res.stdout
    events = replicate_of(runs[2], 1)["events/kind"]
    assert f"events: {len(events)}\n" in res.stdout
    closures = int(np.sum(events == 1))
    assert re.search(rf"^  mine_closure +{closures}$", res.stdout, re.M)
    listed = [line for line in res.stdout.splitlines() if re.match(r" *\d+\.\d{3}  \d{4}-\d{2}  ", line)]
    assert len(listed) == len(events)


def test_replay_fails_with_exit_3_when_the_digest_differs(runs, tmp_path):
    tampered = tmp_path / "tampered.h5"
    tampered.write_bytes(runs[2].read_bytes())
    with h5py.File(tampered, "r+") as f:
        f["checksums/digest"][3] = 12345
    out = tmp_path / "replay.h5"
    res = regsim("replay", tampered, "--replicate", 3, "-o", out)
    assert res.returncode == 3
    assert "replicate 3 does not reproduce" in res.stderr
    assert not out.exists()


def test_replay_of_a_replicate_not_in_the_file_exits_2(runs):
    res = regsim("replay", runs[2], "--replicate", 6)
    assert res.returncode == 2
    assert "error: no replicate 6 in this file" in res.stderr
    assert "--replicate from 0 to 5" in res.stderr


@pytest.mark.parametrize("content", [None, b"", b"not hdf5 at all\n", b"\x89HDF\r\n\x1a\n" + b"\0" * 40])
def test_replay_rejects_missing_and_corrupt_files_with_exit_2(tmp_path, content):
    bad = tmp_path / "bad.h5"
    if content is not None:
        bad.write_bytes(content)
    res = regsim("replay", bad, "--replicate", 0)
    assert res.returncode == 2, res.stderr
    assert "bad.h5" in res.stderr and "error:" in res.stderr


def test_replay_does_not_replace_a_file_without_force(runs, tmp_path):
    out = tmp_path / "exists.h5"
    out.write_bytes(b"keep me")
    res = regsim("replay", runs[1], "--replicate", 0, "-o", out)
    assert res.returncode == 2
    assert "output file exists" in res.stderr
    assert out.read_bytes() == b"keep me"
    assert regsim("replay", runs[1], "--replicate", 0, "-o", out, "--force").returncode == 0
