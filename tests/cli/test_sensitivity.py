"""`regsim sensitivity` as a user runs it: Sobol indices and Morris effects
of a small run printed as tables and written under /sensitivity, readable
with h5py and xarray, the same for runs made with any thread count, refused
(exit 2) for files and requests that cannot be analysed, and the rest of the
run file left exactly as it was (and still a valid run for verify, inspect,
replay and compare).

The build directory is $REGSIM_BUILD_DIR, by default <repo>/build.
"""
import hashlib
import os
import pathlib
import shutil
import subprocess

import h5py
import numpy as np
import pytest
import xarray as xr

REPO = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("REGSIM_BUILD_DIR", REPO / "build"))
REGSIM = BUILD / "bin" / "regsim"
TINY = REPO / "tests" / "data" / "regions" / "tiny"

SCENARIO = """\
scenario: sens
horizon: {{start: 2013-01, end: 2016-12}}
region: {region}
experiment: {{replications: {n}, seed: 5, sampling: {sampling}}}
uncertainties:
  labour.job_finding_rate: {{uniform: [0.005, 0.08]}}
  replacement.growth_rate: {{uniform: [0.02, 0.2]}}
  prices.volatility: {{uniform: [0.1, 0.3]}}
goals:
  - {{name: low-unemployment, indicator: unemployment_rate, at: 2016-12, below: 0.05}}
  - {{name: few-ex-miners, indicator: unemployed_ex_miners, at: 2016-12, below: 200}}
"""

FACTORS = ["labour.job_finding_rate", "replacement.growth_rate", "prices.volatility"]


def regsim(*args, **kw):
    return subprocess.run([str(REGSIM), *map(str, args)], capture_output=True, text=True, **kw)


def make_run(d, name, sampling, n, threads=2):
    scenario = d / f"{name}.yaml"
    scenario.write_text(SCENARIO.format(region=TINY, sampling=sampling, n=n))
    out = d / f"{name}.h5"
    r = regsim("run", scenario, "-o", out, "-j", threads, "-q")
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    d = tmp_path_factory.mktemp("sensitivity")
    return {
        "j1": make_run(d, "sobol-j1", "sobol", 10, threads=1),
        "j2": make_run(d, "sobol-j2", "sobol", 10, threads=2),
        "morris": make_run(d, "morris", "morris", 6),
        "mc": make_run(d, "mc", "monte_carlo", 4),
        "dir": d,
    }


def fresh(runs, key, name):
    path = runs["dir"] / name
    shutil.copyfile(runs[key], path)
    return path


def contents(path):
    """Every dataset's values and every attribute outside /sensitivity."""
    out = {}
    with h5py.File(path, "r") as f:
        out["/"] = {k: np.asarray(v).tobytes() for k, v in f.attrs.items()}

        def visit(name, obj):
            if name == "sensitivity" or name.startswith("sensitivity/"):
                return
            attrs = {k: repr(v) for k, v in obj.attrs.items()}
            if isinstance(obj, h5py.Dataset):
                values = np.asarray(obj[()])
                data = values.tolist() if values.dtype.kind == "O" else values.tobytes()
                out[name] = (obj.dtype.str, obj.shape, data, attrs)
            else:
                out[name] = attrs
        f.visititems(visit)
    return out


@pytest.fixture(scope="module")
def analysed(runs):
    path = fresh(runs, "j2", "analysed.h5")
    before = contents(path)
    r = regsim("sensitivity", path, "--indicator", "unemployment_rate", "--at", "2015-12",
               "--at", "2016-12", "--over-time", "unemployed_ex_miners")
    assert r.returncode == 0, r.stderr
    return path, before, r.stdout


def test_the_table_lists_each_output_with_s1_and_st_sorted_by_st(analysed):
    _, _, stdout = analysed
    assert "sobol design, 10 base samples over 3 factors" in stdout
    for output in ["low-unemployment: met", "low-unemployment: margin", "few-ex-miners: margin",
                   "unemployment_rate, nation:all, 2015-12", "unemployment_rate, nation:all, 2016-12"]:
        assert output in stdout
    assert "S1 [90 % interval]" in stdout and "ST [90 % interval]" in stdout
    # Rows of the last indicator table are in decreasing ST.
    block = stdout.split("unemployment_rate, nation:all, 2016-12")[1].split("\n\n")[0]
    rows = [line.split() for line in block.splitlines()[2:] if line.strip()]
    assert sorted(row[0] for row in rows) == sorted(FACTORS)
    st = [float(row[4]) for row in rows]
    assert st == sorted(st, reverse=True)
    assert "ST of unemployed_ex_miners, nation:all, by year" in stdout


def test_sensitivity_group_reads_with_h5py(analysed):
    path, _, stdout = analysed
    with h5py.File(path, "r") as f:
        s = f["sensitivity"]
        assert s.attrs["method"] == b"sobol"  # text attributes are fixed-length: bytes in h5py
        assert s.attrs["base_samples"] == 10
        assert s.attrs["bootstrap_seed"] == 20100101
        factors = [x.decode() if isinstance(x, bytes) else x for x in s["factor"][()]]
        assert factors == FACTORS
        outputs = [x.decode() if isinstance(x, bytes) else x for x in s["output"][()]]
        assert len(outputs) == 2 * 2 + 2
        st = s["total_order"]
        assert st.shape == (6, 3)
        assert [d[0].name for d in st.dims] == ["/sensitivity/output", "/sensitivity/factor"]
        assert st.attrs["units"] == b"1" and b"Jansen" in st.attrs["long_name"]
        lo, hi, value = s["total_order_low"][()], s["total_order_high"][()], st[()]
        finite = np.isfinite(value)
        assert finite.any()
        assert np.all(lo[finite] <= hi[finite])
        # The printed value is the stored one.
        row = outputs.index("unemployment_rate, nation:all, 2016-12")
        assert f"{value[row, 0]:6.3f}" in stdout
        t = s["over_time"]
        assert t.attrs["indicator"] == b"unemployed_ex_miners"
        assert t["total_order"].shape == (4, 3)  # 2013-2016
        assert t["year"].attrs["units"] == b"days since 2013-01-01"


def test_sensitivity_group_reads_with_xarray(analysed):
    path, _, _ = analysed
    s = xr.open_dataset(path, engine="h5netcdf", group="sensitivity")
    assert s.total_order.dims == ("output", "factor")
    assert list(s.factor.values) == FACTORS
    assert s.first_order.sel(output="low-unemployment: margin").shape == (3,)
    t = xr.open_dataset(path, engine="h5netcdf", group="sensitivity/over_time")
    assert t.total_order.dims == ("year", "factor")
    assert [str(y)[:7] for y in t.year.values] == ["2013-12", "2014-12", "2015-12", "2016-12"]


def test_the_rest_of_the_file_is_unchanged_and_still_a_valid_run(analysed, runs):
    path, before, _ = analysed
    assert contents(path) == before
    r = regsim("verify", path, "--sample", 2)
    assert r.returncode == 0, r.stderr
    assert regsim("inspect", path).returncode == 0
    assert regsim("compare", runs["j1"], path).returncode == 0
    out = runs["dir"] / "replayed.h5"
    r = regsim("replay", path, "--replicate", 3, "-o", out)
    assert r.returncode == 0, r.stderr
    assert not pathlib.Path(str(path) + ".sensitivity.partial").exists()


def test_indices_are_the_same_for_runs_made_with_1_and_2_threads(runs):
    values = []
    for key in ("j1", "j2"):
        path = fresh(runs, key, f"threads-{key}.h5")
        r = regsim("sensitivity", path, "--indicator", "unemployment_rate")
        assert r.returncode == 0, r.stderr
        with h5py.File(path, "r") as f:
            values.append({k: f["sensitivity"][k][()] for k in
                           ["first_order", "first_order_low", "total_order", "total_order_high"]})
    for k in values[0]:
        np.testing.assert_array_equal(values[0][k], values[1][k])


def test_running_twice_replaces_the_group(runs):
    path = fresh(runs, "j2", "twice.h5")
    assert regsim("sensitivity", path, "--indicator", "unemployment_rate").returncode == 0
    size = path.stat().st_size
    r = regsim("sensitivity", path)
    assert r.returncode == 0, r.stderr
    with h5py.File(path, "r") as f:
        outputs = f["sensitivity/output"][()]
        assert len(outputs) == 4  # the goals only now
        assert "over_time" not in f["sensitivity"]
    assert path.stat().st_size <= size + 64 * 1024


def test_morris_run_gives_mu_star_mu_sigma(runs):
    path = fresh(runs, "morris", "morris-analysed.h5")
    r = regsim("sensitivity", path, "--indicator", "unemployed_ex_miners",
               "--over-time", "unemployment_rate")
    assert r.returncode == 0, r.stderr
    assert "morris design, 6 trajectories over 3 factors" in r.stdout
    assert "mu*" in r.stdout and "sigma" in r.stdout
    with h5py.File(path, "r") as f:
        s = f["sensitivity"]
        assert s.attrs["method"] == b"morris"
        mu_star, mu = s["mu_star"][()], s["mu"][()]
        assert mu_star.shape == (5, 3)
        finite = np.isfinite(mu_star)
        assert np.all(mu_star[finite] >= np.abs(mu[finite]) - 1e-12)
        assert s["over_time/mu_star"].shape == (4, 3)


@pytest.mark.parametrize("args, message", [
    (["--indicator", "unemployment_rat"], "did you mean 'unemployment_rate'"),
    (["--indicator", "unemployment_rate", "--at", "2017-12"], "no month '2017-12' in the run"),
    (["--indicator", "unemployment_rate", "--group", "province:Shanxii"],
     "no group 'province:Shanxii' in the run"),
    (["--over-time", "populaton"], "did you mean 'population'"),
])
def test_a_request_the_file_cannot_answer_exits_2_and_leaves_it(runs, args, message):
    path = fresh(runs, "j2", "refused.h5")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    r = regsim("sensitivity", path, *args)
    assert r.returncode == 2, r.stderr
    assert message in r.stderr
    assert r.stderr.startswith(f"{path}: error: ")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_a_file_that_is_not_a_whole_sobol_or_morris_design_exits_2(runs):
    r = regsim("sensitivity", runs["mc"])
    assert r.returncode == 2
    assert "its design is 'monte_carlo', not sobol or morris" in r.stderr
    one = runs["dir"] / "one.h5"
    assert regsim("replay", runs["j2"], "--replicate", 4, "-o", one).returncode == 0
    r = regsim("sensitivity", one)
    assert r.returncode == 2
    assert "1 replicates are not a whole number of blocks of 5" in r.stderr


def test_a_failed_write_leaves_the_run_file_as_it_was(runs):
    path = fresh(runs, "j2", "failed.h5")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    partial = pathlib.Path(str(path) + ".sensitivity.partial")
    partial.mkdir()  # the copy cannot be made
    r = regsim("sensitivity", path)
    assert r.returncode == 1
    assert "regsim: error:" in r.stderr
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    partial.rmdir()
    # What a killed attempt leaves behind is replaced, then renamed away.
    partial.write_bytes(b"half a file")
    r = regsim("sensitivity", path)
    assert r.returncode == 0, r.stderr
    assert not partial.exists()
    with h5py.File(path, "r") as f:
        assert f["sensitivity"].attrs["method"] == b"sobol"
