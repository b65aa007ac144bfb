"""tools/report on two real light runs: every chart, a valid page, the goal ledger's arithmetic, clear errors."""
import html.parser
import shutil

import h5py
import matplotlib.image
import numpy as np
import pytest

from conftest import tool
from regsim_report import data, events, goals, style
from regsim_report.runfile import RunFile, open_runs

SLUGS = ["light-a", "light-b"]


def expected_charts(runs):
    """{file name: (width, height) in pixels} for the two light runs."""
    px = lambda size: (round(size[0] * style.DPI), round(size[1] * style.DPI))  # noqa: E731
    charts = {}
    for ind in style.KEY_INDICATORS:
        charts[f"fan-{ind}.png"] = px(style.FAN_SIZE)
        charts[f"diff-{ind}.png"] = px(style.FAN_SIZE)
    charts["goals-category.png"] = px(goals.category_heatmap_size(4))  # 2 runs x 2 goals
    charts["goals-province.png"] = px(goals.province_heatmap_size(4))
    charts["threshold-curves.png"] = px(goals.threshold_curves_size(2))
    for slug, n_policies in zip(SLUGS, (1, 3)):
        charts[f"map-{slug}.png"] = px(style.MAP_SIZE)
        charts[f"events-{slug}.png"] = px(events.timeline_size(n_policies))
        charts[f"discovery-{slug}.png"] = px(style.DISCOVERY_SIZE)
        charts[f"cart-{slug}.png"] = px(style.TREE_SIZE)
    # Model vs data: one panel per indicator and group that the default
    # targets (calibration/targets.yaml) hold within 2013-2016.
    opened = open_runs([runs["a"], runs["b"]])
    panels = len(data.drawable(opened, data.load_targets(data.DEFAULT_TARGETS)))
    assert panels >= 2  # coal output, national unemployment, ...
    charts["model-vs-data.png"] = px(data.chart_size(panels))
    return charts


@pytest.fixture(scope="module")
def report(runs, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "site"
    r = tool("report", runs["a"], runs["b"], "-o", out)
    assert r.returncode == 0, r.stderr
    assert "wrote" in r.stdout
    return out


class PageChecker(html.parser.HTMLParser):
    """Collects image sources and links; fails on a closing tag that does not match."""
    VOID = {"meta", "img", "br", "hr", "link", "input"}

    def __init__(self):
        super().__init__()
        self.stack, self.images, self.links, self.errors = [], [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.images.append(attrs.get("src"))
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"unbalanced </{tag}>")


def test_every_chart_is_written_at_its_size_and_is_not_blank(report, runs):
    expected = expected_charts(runs)
    written = sorted(p.name for p in report.glob("*.png"))
    assert written == sorted(expected)
    for name, (width, height) in expected.items():
        path = report / name
        assert path.stat().st_size > 10_000, name
        pixels = matplotlib.image.imread(path)
        assert pixels.shape[:2] == (height, width), name
        rgb = pixels[..., :3].reshape(-1, 3)
        assert rgb.var(axis=0).sum() > 1e-3, f"{name} looks blank"
        assert (rgb.min(axis=1) < 0.9).mean() > 0.01, f"{name} is almost all white"


def test_the_page_is_valid_html_and_links_every_chart(report, runs):
    text = (report / "index.html").read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    checker = PageChecker()
    checker.feed(text)
    checker.close()
    assert checker.errors == []
    assert checker.stack == []
    assert sorted(set(checker.images)) == sorted(expected_charts(runs))
    for src in checker.images:
        assert (report / src).exists(), src
    for section in ("Key indicators", "Model vs data", "paired differences", "Goal ledger", "Map of the cities",
                    "Event timeline", "Scenario discovery"):
        assert section in text, section
    assert "coverage" in text and "density" in text
    assert "light-a" in text and "light-b" in text
    assert "unemployment-below-5pct-2016" in text
    assert "replacement.growth_rate (1/year)" in text  # sampled uncertainties with their units


def test_heatmap_attainment_is_the_engines_by_group(runs):
    with RunFile(runs["a"]) as run, h5py.File(runs["a"], "r") as f:
        rows = goals.goal_rows([run])
        shown, low, high = goals.attainment(rows, goals.CATEGORY_GROUPS)
        column = goals.CATEGORY_GROUPS.index("category:declining")
        k = [g.decode() for g in f["group"][()]].index("category:declining")
        for i in range(len(rows)):
            assert shown[i, column] == f["goals/probability_by_group"][i, k]
            assert low[i, column] == f["goals/probability_low_by_group"][i, k]
            assert high[i, column] == f["goals/probability_high_by_group"][i, k]
        # The goal on the declining cities has none among the growing ones; the goal as defined is the first column.
        assert np.isnan(shown[1, goals.CATEGORY_GROUPS.index("category:growing")])
        assert shown[0, 0] == pytest.approx(run.goals[0].probability)


def test_goal_definitions_come_from_the_file(runs):
    with RunFile(runs["a"]) as run:
        at_goal, by_goal = run.goals
        assert (at_goal.comparison, at_goal.threshold, at_goal.timing, at_goal.date) == ("below", 0.05, "at", "2016-12")
        assert (by_goal.aggregation, by_goal.share, by_goal.where) == ("share_of_cities", 0.5, "category=declining")
        assert by_goal.describe() == ("restoration_rate above 30 % by 2016-12, "
                                      "in at least 50 % of the cities with category=declining")


def test_threshold_curve_at_the_scenarios_threshold_is_the_engines_probability(runs):
    with RunFile(runs["a"]) as run:
        for goal in run.goals:
            x, prob, threshold, _, _ = goals.threshold_axis(goal)
            assert prob(np.array([threshold]))[0] == pytest.approx(goal.probability)
            assert len(x) == len(goal.met)


def test_policy_actions_and_trigger_firings_are_counted_per_policy(runs):
    with RunFile(runs["b"]) as run:
        log = run.events()
        years = np.arange(2013, 2017)
        n = len(run.replicates)
        assert [p.name for p in run.policies] == ["parks", "retraining", "relief-jobs"]
        fired = events.per_policy(log, "trigger", len(run.policies), years, n)
        acted = events.per_policy(log, "policy", len(run.policies), years, n)
        trigger = [k for k, name in log["meanings"].items() if name == "trigger"][0]
        assert fired.sum() == (log["kind"] == trigger).sum() > 0
        assert fired[2].sum() == fired.sum()  # only relief-jobs has a trigger
        assert fired[2, :, 0].sum() == 0  # nor fires before its window (2014-01)
        assert acted[1].sum() > 0 and acted[2].sum() == 0  # retraining acts; relief-jobs only on its trigger


def test_annual_ticks_stand_on_the_december_they_label(runs):
    import matplotlib.dates as mdates
    style.setup()
    with RunFile(runs["a"]) as run:
        fig = style.figure((6.0, 3.0))
        ax = fig.add_subplot()
        ax.plot(run.dates, np.arange(len(run.dates)))
        style.year_axis(ax, run.dates)
        fig.canvas.draw()
        ticks = {t.get_text(): mdates.num2date(t.get_position()[0]).strftime("%Y-%m") for t in ax.get_xticklabels()
                 if ax.get_xlim()[0] <= t.get_position()[0] <= ax.get_xlim()[1]}
        assert ticks["2016"] == "2016-12" == str(run.dates[-1])


def test_a_missing_file_is_one_clear_line_and_exit_2(tmp_path):
    missing = tmp_path / "missing.h5"
    out = tmp_path / "site"
    r = tool("report", missing, "-o", out)
    assert r.returncode == 2
    assert r.stderr.strip() == f"tools/report: error: {missing}: no such file"
    assert not out.exists()


@pytest.mark.parametrize("content", [b"", b"not hdf5 at all\n", b"\x89HDF\r\n\x1a\n" + b"\0" * 40])
def test_a_corrupt_file_is_rejected_with_exit_2(tmp_path, content):
    bad = tmp_path / "bad.h5"
    bad.write_bytes(content)
    r = tool("report", bad, "-o", tmp_path / "site")
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"tools/report: error: {bad}: "), r.stderr


def test_a_truncated_run_is_rejected(runs, tmp_path):
    cut = tmp_path / "cut.h5"
    data = runs["a"].read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    r = tool("report", cut, "-o", tmp_path / "site")
    assert r.returncode == 2
    assert r.stderr.startswith(f"tools/report: error: {cut}: "), r.stderr


def test_a_foreign_or_incomplete_hdf5_file_is_rejected(runs, tmp_path):
    foreign = tmp_path / "foreign.h5"
    with h5py.File(foreign, "w") as f:
        f["x"] = np.arange(3)
    r = tool("report", foreign, "-o", tmp_path / "site")
    assert r.returncode == 2
    assert "not a regsim output file" in r.stderr

    partial = tmp_path / "partial.h5"
    shutil.copy(runs["a"], partial)
    with h5py.File(partial, "r+") as f:
        f.attrs["complete"] = 0
    r = tool("report", runs["a"], partial, "-o", tmp_path / "site")
    assert r.returncode == 2
    assert f"{partial}: incomplete run" in r.stderr


def test_a_file_from_an_older_regsim_is_refused(runs, tmp_path):
    old = tmp_path / "old.h5"
    shutil.copy(runs["a"], old)
    with h5py.File(old, "r+") as f:
        del f["goals/probability_by_group"]
    r = tool("report", old, "-o", tmp_path / "site")
    assert r.returncode == 2
    assert r.stderr.strip() == (f"tools/report: error: {old}: written by an older regsim "
                                "(no /goals/probability_by_group); re-run it")


@pytest.mark.parametrize("extra", [None, ["--no-such-flag"], ["--map-indicator", "no_such_indicator"]])
def test_bad_flags_exit_2(runs, tmp_path, extra):
    args = [] if extra is None else [runs["a"], "-o", tmp_path / "site", *extra]  # None: no arguments at all
    r = tool("report", *args)
    assert r.returncode == 2
    assert "tools/report: error:" in r.stderr


def test_model_vs_data_draws_the_targets_a_run_can_be_held_to(runs, tmp_path):
    targets = tmp_path / "targets.yaml"
    targets.write_text("""\
targets:
  - {name: u, indicator: unemployment_rate, where: all, at: 2015-12, value: 0.045, error: 0.004, source: s}
  - {name: p, indicator: production, where: {resource: [coal]}, mean_over: [2014-01, 2014-12], value: 3300,
     error: 100, source: s}
  - {name: two-groups, indicator: production, where: {resource: [coal, mixed]}, at: 2014-12, value: 1, error: 1,
     source: s}
  - {name: too-late, indicator: population, where: all, at: 2030-12, value: 1, error: 1, source: s}
  - {name: unknown-group, indicator: population, where: {province: [Atlantis]}, at: 2014-12, value: 1, error: 1,
     source: s}
""", encoding="utf-8")
    opened = open_runs([runs["a"]])
    loaded = data.load_targets(targets)
    panels = data.drawable(opened, loaded)
    assert sorted(panels) == [("production", "resource:coal"), ("unemployment_rate", "nation:all")]
    assert [t["name"] for t in panels[("production", "resource:coal")]] == ["p"]
    name = data.model_vs_data(opened, loaded, tmp_path / "mvd.png")
    pixels = matplotlib.image.imread(tmp_path / name)
    assert pixels.shape[:2] == tuple(round(v * style.DPI) for v in reversed(data.chart_size(2)))
    out = tmp_path / "site"
    r = tool("report", runs["a"], "-o", out, "--targets", targets)
    assert r.returncode == 0, r.stderr
    assert "2 of the 5 observations" in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("text", [None, "targets: [", "targets: 3\n",
                                  "targets:\n  - {name: x, indicator: gdp, at: 2014-13, value: 1}\n",
                                  "targets:\n  - {name: x, indicator: gdp, value: 1}\n"])
def test_a_bad_targets_file_is_refused_with_exit_2(runs, tmp_path, text):
    targets = tmp_path / "targets.yaml"
    if text is not None:
        targets.write_text(text, encoding="utf-8")
    r = tool("report", runs["a"], "-o", tmp_path / "site", "--targets", targets)
    assert r.returncode == 2, r.stderr
    assert str(targets) in r.stderr and "Traceback" not in r.stderr


def test_policy_windows_and_triggers_come_from_the_files_description(runs):
    """/policies describes each policy (window, cities, values, trigger): the
    report reads it there and never parses the embedded scenario for it."""
    with RunFile(runs["b"]) as run:
        retraining, relief = run.policies[1], run.policies[2]
        assert (retraining.start, retraining.end) == ("2014-01", "2016-12")
        assert retraining.set == "seats_per_1000_unemployed=200"
        assert "declining" in retraining.where
        assert retraining.trigger_indicator == "" and retraining.trigger_months == 0
        assert (relief.trigger_indicator, relief.trigger_comparison) == ("unemployment_rate", "above")
        assert relief.trigger_threshold == 0.05 and relief.trigger_months == 3
        run.scenario = {}  # nothing from the YAML may be needed
        windows = {p.name: (start, end, text) for p, start, end, text in events.policy_windows(run)}
    assert windows["retraining"][:2] == (2014.0, 2017.0)
    assert windows["relief-jobs"][2].endswith(" above 0.05 for 3 months")
    assert windows["retraining"][2] == ""
