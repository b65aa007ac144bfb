"""The goal ledger by place and the definitions a run file carries: each
goal's attainment per group and per city agrees with the stored
aggregates, and goals, policies and uncertainties are described in the
file itself.

The build directory is $REGSIM_BUILD_DIR, by default <repo>/build.
"""
import os
import pathlib
import subprocess

import h5py
import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("REGSIM_BUILD_DIR", REPO / "build"))
REGSIM = BUILD / "bin" / "regsim"

SCENARIO = """\
scenario: ledger
description: a light run with goals of different reach
horizon: {start: 2013-01, end: 2016-12}
experiment: {replications: 6, seed: 11}
uncertainties:
  replacement.growth_rate: {uniform: [0.04, 0.12]}
policies:
  - name: seats-in-declining-cities
    lever: training_seats
    where: {category: [declining]}
    when: {from: 2014-01}
    set: {seats_per_1000_unemployed: 80}
    source: 2013 plan §6(1)
goals:
  - name: unemployment-below-4pct
    indicator: unemployment_rate
    where: all
    at: 2016-12
    below: 0.04
  - name: declining-unemployment-below-4pct
    indicator: unemployment_rate
    where: {category: [declining]}
    at: 2016-12
    below: 0.04
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    d = tmp_path_factory.mktemp("ledger")
    scenario = d / "ledger.yaml"
    scenario.write_text(SCENARIO)
    out = d / "ledger.h5"
    r = subprocess.run([str(REGSIM), "run", str(scenario), "-o", str(out), "-j", "2", "--quiet"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return out


def strings(dataset):
    return [v.decode() if isinstance(v, bytes) else v for v in dataset[()]]


def test_goal_attainment_by_group_agrees_with_the_aggregates(run):
    with h5py.File(run, "r") as f:
        groups = strings(f["group"])
        met = f["goals/met_by_group"][()]  # [replicate, goal, group]
        rate = f["aggregates/unemployment_rate"][:, :, -1]  # December 2016
        nation = groups.index("nation:all")
        # The nationwide goal, evaluated on the nation, is the goal itself.
        assert (met[:, 0, nation] == f["goals/met"][:, 0]).all()
        # Within each category and province it is the same test on that
        # group's own ratio of sums (float32 in the file: skip near-ties).
        for k, name in enumerate(groups):
            if name.startswith("resource:"):
                continue
            clear = np.abs(rate[:, k] - 0.04) > 1e-5
            expected = (rate[:, k] < 0.04).astype(np.uint8)
            assert (met[clear, 0, k] == expected[clear]).all(), name
        # The second goal covers the declining cities only.
        for k, name in enumerate(groups):
            if name.startswith("category:") and name != "category:declining":
                assert (met[:, 1, k] == 2).all(), name
        declining = groups.index("category:declining")
        assert (met[:, 1, declining] == f["goals/met"][:, 1]).all()
        p = f["goals/probability_by_group"][()]
        assert p[0, nation] == pytest.approx(f["goals/probability"][0])
        assert np.isnan(p[1, groups.index("category:growing")])
        assert f["goals/met_by_group"].attrs["flag_meanings"] == b"missed met not_applicable"


def test_goal_attainment_by_city_covers_the_goals_own_cities(run):
    with h5py.File(run, "r") as f:
        category = strings(f["category_2013"])
        by_city = f["goals/probability_by_city"][()]  # [goal, city]
        rate = f["trajectories/unemployment_rate"][:, :, -1]  # [replicate, city]
        share = (rate < 0.04).mean(axis=0)
        clear = (np.abs(rate - 0.04) > 1e-5).all(axis=0)
        assert np.allclose(by_city[0, clear], share[clear])
        for c, cat in enumerate(category):
            assert np.isnan(by_city[1, c]) == (cat != "declining")
        low, high = f["goals/probability_low_by_city"][()], f["goals/probability_high_by_city"][()]
        ok = ~np.isnan(by_city)
        assert (low[ok] <= by_city[ok]).all() and (by_city[ok] <= high[ok]).all()


def test_the_file_describes_its_goals_policies_and_uncertainties(run):
    with h5py.File(run, "r") as f:
        assert strings(f["goals/indicator"]) == ["unemployment_rate"] * 2
        assert strings(f["goals/comparison"]) == ["below", "below"]
        assert list(f["goals/threshold"][()]) == [0.04, 0.04]
        assert strings(f["goals/timing"]) == ["at", "at"]
        assert strings(f["goals/date"]) == ["2016-12", "2016-12"]
        assert strings(f["goals/where"]) == ["all", "category=declining"]
        assert strings(f["policies/policy"]) == ["seats-in-declining-cities"]
        assert strings(f["policies/lever"]) == ["training_seats"]
        assert strings(f["policies/source"]) == ["2013 plan §6(1)"]
        assert strings(f["uncertainties/unit"]) == ["1/year"]
        # Policy entries of the event log name their policy by its index.
        kinds = f["events/kind"]
        meanings = kinds.attrs["flag_meanings"].decode().split()
        policy = meanings.index("policy")
        values = f["events/value"][()][kinds[()] == policy]
        assert len(values) > 0 and (values == 0).all()
