"""Shared set-up for the tests of tools/report and tools/export-iamc.

Two light runs of the same seed (A, and B = A plus retraining seats and
public jobs on a trigger that fires in 2014) on the 262 cities, 2013-2016,
8 replicates, two sampled uncertainties and two goals.
The build directory is $REGSIM_BUILD_DIR, by default <repo>/build.
"""
import os
import pathlib
import subprocess
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("REGSIM_BUILD_DIR", REPO / "build"))
REGSIM = BUILD / "bin" / "regsim"
TOOLS = REPO / "tools"
sys.path.insert(0, str(TOOLS))  # the regsim_report package

SCENARIO_A = """\
scenario: light-a
description: a light run for the report tests
horizon: {start: 2013-01, end: 2016-12}
experiment: {replications: 8, seed: 11}
uncertainties:
  replacement.growth_rate: {uniform: [0.02, 0.14]}
  retraining.placement_rate: {uniform: [0.4, 0.8]}
policies:
  - name: parks
    lever: industrial_park
    where: {exhausted: yes}
    when: {from: 2014-01}
    set: {count: 1}
goals:
  - name: unemployment-below-5pct-2016
    indicator: unemployment_rate
    where: all
    at: 2016-12
    below: 0.05
  - name: declining-restoration-by-2016
    indicator: restoration_rate
    where: {category: [declining]}
    aggregation: share_of_cities
    share: 0.5
    by: 2016-12
    above: 0.3
"""

SCENARIO_B = SCENARIO_A.replace("scenario: light-a", "scenario: light-b").replace("goals:", """\
  - name: retraining
    lever: training_seats
    where: {category: [declining]}
    when: {from: 2014-01, to: 2016-12}
    set: {seats_per_1000_unemployed: 200}
  - name: relief-jobs
    lever: public_jobs
    where: {category: [declining]}
    when: {from: 2014-01, to: 2016-12}
    trigger: {indicator: unemployment_rate, above: 0.05, for_months: 3}
    set: {share_of_unemployed: 0.2}
goals:""")


def tool(name, *args):
    """Run tools/<name> as a user does (its shebang is /usr/bin/python3)."""
    return subprocess.run([str(TOOLS / name), *map(str, args)], capture_output=True, text=True)


@pytest.fixture(scope="session")
def runs(tmp_path_factory):
    """{'a': path, 'b': path} of the two light runs."""
    if not REGSIM.exists():
        if "REGSIM_BUILD_DIR" in os.environ:
            pytest.fail(f"{REGSIM} is missing: build the project first")
        pytest.skip(f"{REGSIM} is missing: build first (cmake --build build)")
    d = tmp_path_factory.mktemp("runs")
    out = {}
    for key, text in (("a", SCENARIO_A), ("b", SCENARIO_B)):
        scenario = d / f"light-{key}.yaml"
        scenario.write_text(text)
        out[key] = d / f"light-{key}.h5"
        r = subprocess.run([str(REGSIM), "run", scenario, "-o", out[key], "--quiet"], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    return out
