"""`regsim attribute` on the three cities of tests/data/regions/tiny: a child
scenario declares three policies on top of a parent's one; the Shapley shares
of the three add up to the package's effect computed by two separate
`regsim run`s (the child, and the child without its policies; same seed), the
output is the same for -j 1 and -j 2, bad requests exit 2 with one line, and
the file opens with h5py and xarray.

The build directory is $REGSIM_BUILD_DIR, by default <repo>/build.
"""
import datetime
import os
import pathlib
import subprocess

import h5py
import numpy as np
import pytest
import xarray as xr

REPO = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("REGSIM_BUILD_DIR", REPO / "build"))
REGSIM = BUILD / "bin" / "regsim"
TINY = REPO / "tests" / "data" / "regions" / "tiny"

PARENT = f"""\
scenario: parent
region: {TINY}
horizon: {{start: 2013-01, end: 2016-12}}
experiment: {{replications: 8, seed: 5}}
uncertainties:
  labour.job_finding_rate: {{uniform: [0.01, 0.05]}}
policies:
  - name: inherited-seats
    lever: training_seats
    where: {{category: [mature]}}
    when: {{from: 2013-06}}
    set: {{seats_per_1000_unemployed: 40}}
"""

GOALS = """\
goals:
  - {name: unemployment-below-6pct, indicator: unemployment_rate, at: 2015-12, below: 0.06}
  - {name: few-unemployed-ex-miners, indicator: unemployed_ex_miners, at: 2016-12, below: 3000}
"""

POLICIES = """\
policies:
  - name: seats
    lever: training_seats
    where: {category: [declining]}
    when: {from: 2013-03}
    set: {seats_per_1000_unemployed: 120}
  - name: public-jobs
    lever: public_jobs
    where: {exhausted: 2}
    when: {from: 2013-02, to: 2015-06}
    set: {share_of_unemployed: 0.3}
  - name: wage-subsidy
    lever: wage_subsidy
    where: all
    when: {from: 2014-01}
    set: {job_finding_factor: 2}
"""

INDICATOR = ["--indicator", "unemployed_ex_miners", "--at", "2015-12", "--group", "nation:all"]


def regsim(*args):
    return subprocess.run([str(REGSIM), *map(str, args)], capture_output=True, text=True)


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    if not REGSIM.exists():
        pytest.skip(f"{REGSIM} is missing: build first")
    d = tmp_path_factory.mktemp("attribute")
    (d / "parent.yaml").write_text(PARENT)
    head = "scenario: package\nextends: parent.yaml\n"
    (d / "package.yaml").write_text(head + GOALS + POLICIES)
    (d / "without.yaml").write_text(head + GOALS)
    outs = {}
    for threads in (1, 2):
        out = d / f"attribution-j{threads}.h5"
        r = regsim("attribute", d / "package.yaml", "-j", threads, "-o", out, *INDICATOR)
        assert r.returncode == 0, r.stderr
        outs[threads] = (out, r.stdout)
    runs = {}
    for name in ("package", "without"):
        runs[name] = d / f"{name}.h5"
        r = regsim("run", d / f"{name}.yaml", "-j", 2, "-o", runs[name], "--quiet")
        assert r.returncode == 0, r.stderr
    return d, outs, runs


def test_shares_add_up_to_the_effect_of_two_separate_runs(setup):
    _, outs, runs = setup
    with h5py.File(runs["package"]) as a, h5py.File(runs["without"]) as b:
        met_with, met_without = a["goals/met"][()], b["goals/met"][()]
        margin_with, margin_without = a["goals/margin"][()], b["goals/margin"][()]
        nation = 0
        # December 2015 (annual output: each year's December).
        days = (datetime.date(2015, 12, 1) - datetime.date(2013, 1, 1)).days
        month = int(np.argmin(np.abs(a["time"][()] - days)))
        assert abs(a["time"][month] - days) < 31
        ex_with = a["aggregates/unemployed_ex_miners"][:, nation, month]
        ex_without = b["aggregates/unemployed_ex_miners"][:, nation, month]
    with h5py.File(outs[1][0]) as f:
        g = f["attribution"]
        assert [p.decode() if isinstance(p, bytes) else p for p in g["player"][()]] == [
            "seats", "public-jobs", "wage-subsidy"]
        met = g["met_share"][()]  # [player, goal]
        np.testing.assert_allclose(met.sum(axis=0), met_with.mean(0) - met_without.mean(0),
                                   rtol=0, atol=1e-12)
        np.testing.assert_allclose(g["met_with"][()], met_with.mean(0), rtol=0, atol=1e-12)
        np.testing.assert_allclose(g["met_without"][()], met_without.mean(0), rtol=0, atol=1e-12)
        # Replicate by replicate, too.
        by_replicate = g["margin_share_by_replicate"][()]  # [replicate, player, goal]
        np.testing.assert_allclose(by_replicate.sum(axis=1), margin_with - margin_without,
                                   rtol=1e-9, atol=1e-9)
        ex = g["indicator_share_by_replicate"][()][:, :, 0].sum(axis=1)
        # The run file stores aggregates as float32.
        np.testing.assert_allclose(ex, ex_with - ex_without, rtol=0,
                                   atol=1e-6 * np.abs(ex_with).max() + 1e-3)
        assert np.abs(g["margin_share"][()]).max() > 0, "the package does nothing: a vacuous test"


def datasets(path):
    out = {}
    with h5py.File(path) as f:
        f.visititems(lambda name, obj: out.__setitem__(name, obj[()])
                     if isinstance(obj, h5py.Dataset) else None)
        attrs = {k: v for k, v in f.attrs.items() if k != "command_line"}
    return out, attrs


def test_one_and_two_threads_give_the_same_output(setup):
    _, outs, _ = setup
    (one, attrs_one), (two, attrs_two) = datasets(outs[1][0]), datasets(outs[2][0])
    assert attrs_one == attrs_two
    assert one.keys() == two.keys()
    for name in one:
        np.testing.assert_array_equal(one[name], two[name], err_msg=name)
    assert outs[1][1] == outs[2][1]  # the printed tables


def test_the_table_names_every_player_and_the_sum(setup):
    _, outs, _ = setup
    text = outs[1][1]
    assert "goal unemployment-below-6pct: probability met" in text
    assert "indicator unemployed_ex_miners nation:all 2015-12" in text
    for player in ("seats", "public-jobs", "wage-subsidy"):
        assert player in text
    assert "inherited-seats" not in text
    assert "goal unemployment-below-6pct: margin (positive: met) (percentage points)" in text
    assert text.count("sum of shares") == 5  # met and margin per goal, one indicator


def test_grouped_policies_form_one_player_whose_share_is_theirs_together(setup):
    d, outs, _ = setup
    out = d / "grouped.h5"
    r = regsim("attribute", d / "package.yaml", "-j", 2, "-o", out, "--quiet",
               "--group-policies", "seats,wage-subsidy")
    assert r.returncode == 0, r.stderr
    with h5py.File(out) as g, h5py.File(outs[1][0]) as f:
        names = [p.decode() if isinstance(p, bytes) else p for p in g["attribution/player"][()]]
        assert names == ["seats+wage-subsidy", "public-jobs"]
        # Two players: the total is the same, split two ways.
        np.testing.assert_allclose(g["attribution/margin_share"][()].sum(0),
                                   f["attribution/margin_share"][()].sum(0), rtol=1e-9, atol=1e-9)


def test_output_opens_with_xarray_with_named_dimensions_and_units(setup):
    _, outs, _ = setup
    a = xr.open_dataset(outs[1][0], engine="h5netcdf", group="attribution")
    assert a.met_share.dims == ("player", "goal")
    assert a.met_share_by_replicate.dims == ("replicate", "player", "goal")
    assert a.indicator_share.dims == ("player", "indicator")
    assert a.met_share.attrs["units"] == "1"
    assert a.indicator_share.attrs["units"] == "persons"
    assert list(a.player.values) == ["seats", "public-jobs", "wage-subsidy"]
    assert (a.met_share_low <= a.met_share).all() and (a.met_share <= a.met_share_high).all()
    root = xr.open_dataset(outs[1][0], engine="h5netcdf")
    assert root.attrs["method"] == "exact" and root.attrs["coalitions"] == 8


@pytest.mark.parametrize("args, message", [
    (["--group-policies", "seat,public-jobs"], "unknown policy 'seat'"),
    (["--group-policies", "inherited-seats"], "inherited through extends"),
    (["--group-policies", "seats", "--group-policies", "seats,public-jobs"], "named twice"),
    (["--indicator", "unemployed_ex_miner"], "unknown indicator"),
    (["--indicator", "unemployed_ex_miners", "--group", "province:Atlantis"], "unknown group"),
    (["--indicator", "unemployed_ex_miners", "--at", "2030-01"], "outside the scenario's horizon"),
])
def test_bad_requests_exit_2_with_one_line(setup, args, message):
    d, _, _ = setup
    r = regsim("attribute", d / "package.yaml", "-o", d / "refused.h5", *args)
    assert r.returncode == 2, r.stderr
    assert message in r.stderr
    assert len([l for l in r.stderr.splitlines() if "error:" in l]) == 1
    assert not (d / "refused.h5").exists()
    if "seat'" in message:
        assert "seats" in r.stderr  # did you mean


def test_a_scenario_without_own_policies_is_refused(setup):
    d, _, _ = setup
    r = regsim("attribute", d / "without.yaml", "-o", d / "refused.h5")
    assert r.returncode == 2
    assert "declares no policy of its own" in r.stderr


def test_nothing_to_attribute_without_goals_or_indicators(setup):
    d, _, _ = setup
    # The parent alone: one policy of its own, no goals.
    r = regsim("attribute", d / "parent.yaml", "-o", d / "refused.h5")
    assert r.returncode == 2
    assert "nothing to attribute" in r.stderr
    assert not (d / "refused.h5").exists()


def test_more_players_than_the_exact_limit_need_sampling(setup):
    d, _, _ = setup
    many = "".join(f"""\
  - name: seats-{k}
    lever: training_seats
    where: {{category: [declining]}}
    when: {{from: 2013-03}}
    set: {{seats_per_1000_unemployed: {10 + k}}}
""" for k in range(9))
    (d / "many.yaml").write_text(f"scenario: many\nextends: parent.yaml\npolicies:\n{many}")
    r = regsim("attribute", d / "many.yaml", "-o", d / "refused.h5")
    assert r.returncode == 2
    assert "9 players" in r.stderr and "--permutations" in r.stderr
    # With sampling it runs (one replication of a short horizon keeps it cheap).
    r = regsim("attribute", d / "many.yaml", "-o", d / "many.h5", "--quiet", "-n", 1, "-j", 2,
               "--permutations", 2, "--set", "horizon.end=2013-12",
               "--indicator", "unemployed_ex_miners")
    assert r.returncode == 0, r.stderr
    with h5py.File(d / "many.h5") as f:
        assert f.attrs["method"] == b"sampled permutations"  # fixed-length text: bytes in h5py
        shares = f["attribution/indicator_share_by_replicate"][()]
        total = f["attribution/indicator_with"][()] - f["attribution/indicator_without"][()]
        np.testing.assert_allclose(shares.sum(axis=1)[0], total, rtol=1e-9, atol=1e-6)
