"""Every group of a run file opens labelled: xarray sees the coordinates of
each dimension a group's variables use, so `.sel` works by label in any
group without copying coordinates from the root; netCDF-C's ncdump and
nccopy read the file, and a copy made by nccopy holds the same values.

The build directory is $REGSIM_BUILD_DIR, by default <repo>/build.
"""
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

SCENARIO = f"""\
scenario: labelled
description: every group labelled
region: {REPO / 'tests' / 'data' / 'regions' / 'tiny'}
horizon: {{start: 2013-01, end: 2016-12}}
experiment: {{replications: 5, seed: 11}}
uncertainties:
  replacement.growth_rate: {{uniform: [0.04, 0.12]}}
policies:
  - name: seats
    lever: training_seats
    when: {{from: 2014-01, to: 2015-12}}
    set: {{seats_per_1000_unemployed: 5}}
goals:
  - name: unemployment-below-5pct-2016
    indicator: unemployment_rate
    where: all
    at: 2016-12
    below: 0.05
outputs: {{replicates: 3}}
"""

# The dimensions of the run file that carry coordinate values: every
# group whose variables use one holds its own copy. `event` is a row
# number of the event table and stays a bare dimension.
LABELLED = {"replicate", "city", "time", "group", "statistic", "goal", "uncertainty", "policy"}


def regsim(*args):
    return subprocess.run([str(REGSIM), *map(str, args)], capture_output=True, text=True)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    d = tmp_path_factory.mktemp("labelled")
    scenario = d / "labelled.yaml"
    scenario.write_text(SCENARIO)
    out = d / "labelled.h5"
    r = regsim("run", scenario, "-o", out, "--quiet", "--block", 2)
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="module")
def replayed(run):
    """A file written replicate by replicate (replay), not assembled from blocks."""
    out = run.parent / "replay-4.h5"
    r = regsim("replay", run, "--replicate", 4, "-o", out)
    assert r.returncode == 0, r.stderr
    return out


def groups_of(path):
    names = ["/"]
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: names.append(name) if isinstance(obj, h5py.Group) else None)
    return names


@pytest.mark.parametrize("which", ["run", "replayed"])
def test_every_group_opens_with_coordinates_for_its_dimensions(which, request):
    path = request.getfixturevalue(which)
    groups = groups_of(path)
    assert {"/", "trajectories", "aggregates", "summary", "summary_groups", "goals",
            "uncertainties", "checksums", "events", "policies"} <= set(groups)
    with xr.open_dataset(path, engine="h5netcdf") as root:
        for group in groups:
            with xr.open_dataset(path, engine="h5netcdf", group=group) as ds:
                used = {d for v in ds.data_vars.values() for d in v.dims}
                assert used, group
                for dim in used - {"event"}:
                    assert dim in LABELLED, (group, dim)
                    assert dim in ds.indexes, f"{group}: dimension {dim} has no coordinate"
                    if dim in root.coords and dim != "replicate":
                        # The same labels as the root's, in the same order.
                        assert ds[dim].values.tolist() == root[dim].values.tolist(), (group, dim)
                if "replicate" in used and group != "trajectories":
                    assert ds.replicate.values.tolist() == root.replicate.values.tolist(), group


def test_selection_by_label_in_every_group(run):
    with h5py.File(run, "r") as f:
        aggregate = f["aggregates/unemployment_rate"][()]
        labels = [g.decode() for g in f["group"][()]]
        cities = f["city"][()].tolist()
        trajectories = f["trajectories/unemployment_rate"][()]
        summary = f["summary_groups/unemployment_rate"][()]
        met = f["goals/met_by_group"][()]
        values = f["uncertainties/value"][()]
        digests = f["checksums/digest"][()]
    shanxi = labels.index("province:Shanxi")
    with xr.open_dataset(run, engine="h5netcdf", group="aggregates") as ds:
        picked = ds.unemployment_rate.sel(group="province:Shanxi", time="2015-12")
        assert picked.dims == ("replicate", "time")  # a month string selects a period
        np.testing.assert_array_equal(picked.values[:, 0], aggregate[:, shanxi, 2])
        one = ds.unemployment_rate.sel(replicate=3, group="nation:all",
                                       time=np.datetime64("2016-12-01"))
        assert float(one) == aggregate[3, labels.index("nation:all"), 3]
    with xr.open_dataset(run, engine="h5netcdf", group="trajectories") as ds:
        assert ds.sizes["replicate"] == 3  # outputs.replicates: the first 3 kept
        assert ds.replicate.values.tolist() == [0, 1, 2]
        np.testing.assert_array_equal(
            ds.unemployment_rate.sel(city=cities[1], replicate=2).values, trajectories[2, 1])
    with xr.open_dataset(run, engine="h5netcdf", group="summary_groups") as ds:
        np.testing.assert_array_equal(
            ds.unemployment_rate.sel(statistic="p50", group="province:Shanxi").values,
            summary[3, shanxi])
    with xr.open_dataset(run, engine="h5netcdf", group="goals") as ds:
        got = ds.met_by_group.sel(goal="unemployment-below-5pct-2016", group="province:Shanxi")
        np.testing.assert_array_equal(got.values, met[:, 0, shanxi])
    with xr.open_dataset(run, engine="h5netcdf", group="uncertainties") as ds:
        np.testing.assert_array_equal(
            ds.value.sel(uncertainty="replacement.growth_rate", replicate=[1, 4]).values,
            values[[1, 4], 0])
    with xr.open_dataset(run, engine="h5netcdf", group="checksums") as ds:
        assert int(ds.digest.sel(replicate=4)) == int(digests[4])


def test_time_decodes_to_datetimes_with_cf_attributes(run):
    with xr.open_dataset(run, engine="h5netcdf") as root:
        assert root.attrs["Conventions"] == "CF-1.10"
    for group in ("/", "aggregates", "trajectories", "summary", "summary_groups"):
        with xr.open_dataset(run, engine="h5netcdf", group=group) as ds:
            assert ds.time.dtype == np.dtype("datetime64[ns]"), group
            assert str(ds.time.values[0])[:10] == "2013-12-01", group
            assert ds.time.attrs["standard_name"] == "time", group
            assert ds.time.encoding["calendar"] == "proleptic_gregorian", group
            assert ds.time.encoding["units"] == "days since 2013-01-01", group


def test_ncdump_and_nccopy_read_the_file(run, tmp_path):
    if shutil.which("ncdump") is None or shutil.which("nccopy") is None:
        pytest.fail("netcdf-bin is not installed (tools/setup installs it)")
    header = subprocess.run(["ncdump", "-h", str(run)], capture_output=True, text=True)
    assert header.returncode == 0, header.stderr
    text = header.stdout
    assert ':Conventions = "CF-1.10"' in text
    aggregates = text[text.index("group: aggregates {"):]
    assert "group = " in aggregates.split("variables:")[0]  # its own dimension
    assert "string group(group)" in aggregates
    copy = tmp_path / "copy.nc"
    r = subprocess.run(["nccopy", str(run), str(copy)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    for group in ("aggregates", "goals", "summary_groups"):
        with xr.open_dataset(run, engine="h5netcdf", group=group) as a, \
                xr.open_dataset(copy, engine="h5netcdf", group=group) as b:
            xr.testing.assert_identical(a, b)


def test_regsim_reads_its_labelled_files(run, replayed):
    for path in (run, replayed):
        r = regsim("inspect", path)
        assert r.returncode == 0, r.stderr
    r = regsim("verify", run, "--sample", 2)
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_group_coordinate_that_disagrees_is_a_damaged_file(run, tmp_path):
    damaged = tmp_path / "damaged.h5"
    shutil.copy(run, damaged)
    with h5py.File(damaged, "r+") as f:
        f["aggregates/replicate"].resize((4,))
    r = regsim("inspect", damaged)
    assert r.returncode == 2
    assert "damaged run file: /aggregates/replicate has shape [4], not [5]" in r.stderr
