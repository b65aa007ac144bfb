"""tools/report on a run with `replications: auto`: the goal ledger says, in
words a planner reads, how many replicates the run chose and why."""
import re
import subprocess

from conftest import REGSIM, tool

SCENARIO = """\
scenario: auto-light
horizon: {start: 2013-01, end: 2016-12}
experiment:
  replications: auto
  seed: 11
  precision: {half_width: 0.2, batch: 8, max_replications: 24}
uncertainties:
  replacement.growth_rate: {uniform: [0.04, 0.12]}
goals:
  - {name: near-the-median, indicator: unemployment_rate, where: all, at: 2016-12, below: 0.0417}
outputs: {replicates: 2}
"""


def run(tmp_path, extra):
    scenario = tmp_path / "auto-light.yaml"
    scenario.write_text(SCENARIO)
    out = tmp_path / "auto-light.h5"
    r = subprocess.run([str(REGSIM), "run", str(scenario), "-o", str(out), "-j", "2", "-q", *extra],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return out


def page(tmp_path, run_file, *flags):
    site = tmp_path / "site"
    r = tool("report", run_file, "-o", site, *flags)
    assert r.returncode == 0, r.stderr
    return (site / "index.html").read_text()


def test_the_ledger_says_how_many_replicates_an_auto_run_took(tmp_path):
    text = page(tmp_path, run(tmp_path, []))
    found = re.search(r"The run added 8 replicates at a time until the 90 % interval of each goal it "
                      r"was asked about was at most 20.0 percentage points either side of the probability "
                      r"\(for example 42 % ± 20.0\); that took (\d+) replicates", text)
    assert found, text
    assert int(found.group(1)) in (8, 16)


def test_the_ledger_says_when_the_cap_came_first(tmp_path):
    capped = run(tmp_path, ["--set", "experiment.precision.max_replications=8",
                            "--set", "experiment.precision.half_width=0.01"])
    text = page(tmp_path, capped, "--lang", "zh")
    assert "但先达到了 8 次重复的上限" in text
