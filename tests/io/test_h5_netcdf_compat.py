"""netCDF-4 compatibility of io::H5File output (DESIGN §5).

tests/io/h5_sample_writer writes a small run (see its comments for the values);
h5py, xarray with engine="h5netcdf" and netCDF-C's ncdump must read it without
our code: dimensions, string coordinates, units and long names, values.

The build directory is $REGSIM_BUILD_DIR, by default <repo>/build. Run with
    /usr/bin/python3 -m pytest -q tests
"""

import os
import pathlib
import shutil
import subprocess
import warnings

import h5py
import numpy as np
import pytest
import xarray as xr

REPO = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("REGSIM_BUILD_DIR", REPO / "build"))
WRITER = BUILD / "tests" / "h5_sample_writer"

CITIES = ["hegang", "fuxin", "daqing"]
NAMES = ["鹤岗市", "阜新市", "大庆市"]
STATISTICS = ["mean", "p05", "p50", "p95"]


def expected_rate():
    r, c, t = np.meshgrid(np.arange(4), np.arange(3), np.arange(4), indexing="ij")
    return (0.01 * (r + 1) + 0.1 * c + 0.001 * t).astype(np.float32)


def expected_summary():
    s, c, t = np.meshgrid(np.arange(4), np.arange(3), np.arange(4), indexing="ij")
    return (s + 10.0 * c + 100.0 * t).astype(np.float64)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    if not WRITER.exists():
        if "REGSIM_BUILD_DIR" in os.environ:
            pytest.fail(f"{WRITER} is missing: build the project first")
        pytest.skip(f"{WRITER} is missing: build first (cmake --build build)")
    path = tmp_path_factory.mktemp("h5") / "sample.h5"
    subprocess.run([str(WRITER), str(path)], check=True)
    return path


@pytest.fixture()
def no_warnings():
    # A decoding problem (times, fill values, dimensions) shows as a warning.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_h5py_sees_layout_compression_and_attributes(sample):
    with h5py.File(sample, "r") as f:
        assert sorted(f) == sorted(["replicate", "city", "time", "statistic", "city_name",
                                    "trajectories", "summary", "events"])
        # Text attributes are fixed-length (checksummed in the object header):
        # h5py gives bytes, netCDF and h5netcdf text.
        assert f.attrs["title"] == b"regsim HDF5 layer sample"
        assert f.attrs["seed"] == 20130101
        assert f.attrs["seed"].dtype == np.uint64
        assert f.attrs["_NCProperties"].startswith(b"version=2,")

        rate = f["trajectories/unemployment_rate"]
        assert rate.dtype == np.float32
        assert rate.shape == (4, 3, 4)
        assert rate.maxshape == (None, 3, 4)
        assert rate.chunks is not None
        assert rate.compression == "gzip" and rate.compression_opts == 4
        assert rate.shuffle
        assert rate.fletcher32
        assert np.isnan(rate.fillvalue)
        assert rate.attrs["units"] == b"1"
        np.testing.assert_array_equal(rate[...], expected_rate())
        assert [rate.dims[i][0].name for i in range(3)] == ["/replicate", "/city", "/time"]

        assert f["city"].attrs["CLASS"] == b"DIMENSION_SCALE"
        assert [s.decode() for s in f["city"][...]] == CITIES
        # Every numeric variable with values is chunked and checksummed.
        for name in ["time", "replicate", "summary/unemployment_rate"]:
            assert f[name].fletcher32, name
        assert f["events/event"].attrs["NAME"].startswith(
            b"This is a netCDF dimension but not a netCDF variable.")
        assert f["events/event"].maxshape == (None,)
        ids = sorted(int(f[d].attrs["_Netcdf4Dimid"])
                     for d in ["replicate", "city", "time", "statistic", "events/event"])
        assert ids == [0, 1, 2, 3, 4]


def test_xarray_root_has_dimensions_and_coordinates(sample, no_warnings):
    with xr.open_dataset(sample, engine="h5netcdf") as ds:
        assert dict(ds.sizes) == {"replicate": 4, "city": 3, "time": 4, "statistic": 4}
        assert list(ds.coords) == ["replicate", "city", "time", "statistic"]
        assert ds.replicate.values.tolist() == [0, 1, 2, 3]
        assert ds.city.values.tolist() == CITIES
        assert ds.statistic.values.tolist() == STATISTICS
        # Text variables carry a digest of their values (the global heap that
        # holds them has no checksum).
        attrs = dict(ds.city.attrs)
        assert isinstance(attrs.pop("_regsim_text_digest"), np.uint64)
        assert attrs == {"long_name": "city identifier"}
        # "days since" with a calendar decodes to datetimes.
        np.testing.assert_array_equal(
            ds.time.values,
            np.array(["2013-01-01", "2013-02-01", "2013-03-01", "2013-04-01"],
                     dtype="datetime64[ns]"))
        assert ds.city_name.dims == ("city",)
        assert ds.city_name.values.tolist() == NAMES
        assert ds.attrs["title"] == "regsim HDF5 layer sample"
        assert ds.attrs["seed"] == 20130101
        assert ds.attrs["scenario"].startswith("name: baseline\n")
        assert "_NCProperties" not in ds.attrs


def test_xarray_groups_see_parent_dimensions(sample, no_warnings):
    with xr.open_dataset(sample, engine="h5netcdf") as root, \
            xr.open_dataset(sample, engine="h5netcdf", group="trajectories") as traj:
        rate = traj.unemployment_rate
        assert rate.dims == ("replicate", "city", "time")
        assert rate.dtype == np.float32
        assert rate.attrs == {"long_name": "registered unemployment rate", "units": "1"}
        assert traj.unemployment_rate.encoding["zlib"]
        np.testing.assert_array_equal(rate.values, expected_rate())
        # Coordinates live in the root group; attach them to label the data.
        labelled = rate.assign_coords(root[["replicate", "city", "time"]].coords)
        assert float(labelled.sel(city="fuxin", replicate=2).isel(time=3)) == \
            pytest.approx(0.03 + 0.1 + 0.003, rel=1e-6)

    with xr.open_dataset(sample, engine="h5netcdf", group="summary") as summary:
        assert summary.unemployment_rate.dims == ("statistic", "city", "time")
        np.testing.assert_array_equal(summary.unemployment_rate.values, expected_summary())


def test_xarray_reads_the_event_log_as_columns(sample, no_warnings):
    with xr.open_dataset(sample, engine="h5netcdf", group="events") as ev:
        assert dict(ev.sizes) == {"event": 5}
        assert list(ev.data_vars) == ["replicate", "time", "city", "kind", "value"]
        assert ev.replicate.values.tolist() == [0, 0, 1, 2, 3]
        assert ev.city.values.tolist() == [0, 2, 1, 1, 0]
        assert ev.kind.dtype == np.uint8
        assert ev.kind.attrs["flag_meanings"] == "mine_closure layoff retraining_start"
        assert ev.kind.attrs["flag_values"].tolist() == [0, 1, 2]
        assert ev.value.attrs["units"] == "persons"
        assert ev.time.values[2] == np.datetime64("2013-03-03T06:00:00")
        frame = ev.to_dataframe()
        assert frame["value"].tolist() == [1200, 350, 80, 410, 95]


@pytest.mark.skipif(shutil.which("ncdump") is None, reason="ncdump (netcdf-bin) not installed")
def test_ncdump_reads_header_and_data(sample):
    header = subprocess.run(["ncdump", "-h", str(sample)], capture_output=True, text=True)
    assert header.returncode == 0, header.stderr
    out = header.stdout
    for line in ["replicate = UNLIMITED ; // (4 currently)", "city = 3 ;", "time = 4 ;",
                 "statistic = 4 ;", "event = UNLIMITED ; // (5 currently)",
                 "string city(city) ;", "double time(time) ;",
                 "float unemployment_rate(replicate, city, time) ;",
                 "double unemployment_rate(statistic, city, time) ;",
                 'unemployment_rate:units = "1" ;',
                 'time:units = "days since 2013-01-01" ;',
                 "group: trajectories {", "group: events {", "ubyte kind(event) ;"]:
        assert line in out, f"{line!r} not in ncdump -h output:\n{out}"

    # The data too: compressed chunks, UTF-8 strings, groups.
    full = subprocess.run(["ncdump", str(sample)], capture_output=True, text=True)
    assert full.returncode == 0, full.stderr
    assert 'city_name = "鹤岗市", "阜新市", "大庆市" ;' in full.stdout
    assert "0.24, 0.241, 0.242, 0.243 ;" in full.stdout

    special = subprocess.run(["ncdump", "-s", "-h", str(sample)], capture_output=True, text=True)
    assert special.returncode == 0, special.stderr
    assert ':_Format = "netCDF-4" ;' in special.stdout
    # The newest format HDF5 1.10 (netCDF-C 4.9) reads: metadata checksums.
    assert ":_SuperblockVersion = 3 ;" in special.stdout
    assert 'unemployment_rate:_Fletcher32 = "true" ;' in special.stdout
