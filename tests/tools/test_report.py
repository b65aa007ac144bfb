"""tools/report on two real light runs: every chart, a valid page, the goal ledger's arithmetic, clear errors."""
import html.parser
import shutil

import h5py
import matplotlib.image
import numpy as np
import pytest

from conftest import tool
from regsim_report import events, goals, style
from regsim_report.runfile import RunFile

SLUGS = ["light-a", "light-b"]


def expected_charts():
    """{file name: (width, height) in pixels} for the two light runs."""
    px = lambda size: (round(size[0] * style.DPI), round(size[1] * style.DPI))  # noqa: E731
    charts = {}
    for ind in style.KEY_INDICATORS:
        charts[f"fan-{ind}.png"] = px(style.FAN_SIZE)
        charts[f"diff-{ind}.png"] = px(style.FAN_SIZE)
    charts["goals-category.png"] = px(goals.category_heatmap_size(4))  # 2 runs x 2 goals
    charts["goals-province.png"] = px(goals.province_heatmap_size(4))
    charts["threshold-curves.png"] = px(goals.threshold_curves_size(2))
    for slug, n_policies in zip(SLUGS, (1, 2)):
        charts[f"map-{slug}.png"] = px(style.MAP_SIZE)
        charts[f"events-{slug}.png"] = px(events.timeline_size(n_policies))
        charts[f"discovery-{slug}.png"] = px(style.DISCOVERY_SIZE)
        charts[f"cart-{slug}.png"] = px(style.TREE_SIZE)
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


def test_every_chart_is_written_at_its_size_and_is_not_blank(report):
    expected = expected_charts()
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


def test_the_page_is_valid_html_and_links_every_chart(report):
    text = (report / "index.html").read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    checker = PageChecker()
    checker.feed(text)
    checker.close()
    assert checker.errors == []
    assert checker.stack == []
    assert sorted(set(checker.images)) == sorted(expected_charts())
    for src in checker.images:
        assert (report / src).exists(), src
    for section in ("Key indicators", "paired differences", "Goal ledger", "Map of the cities", "Event timeline",
                    "Scenario discovery"):
        assert section in text, section
    assert "coverage" in text and "density" in text
    assert "light-a" in text and "light-b" in text
    assert "unemployment-below-5pct-2016" in text


def test_group_attainment_reproduces_the_engines_ledger(runs):
    with RunFile(runs["a"]) as run:
        at_goal, by_goal = run.goals
        judge = goals.GroupJudge(run, at_goal)
        assert judge.from_aggregates  # where: all, sum: all replicates from /aggregates
        np.testing.assert_array_equal(judge.met("nation:all"), at_goal.met)
        np.testing.assert_allclose(judge.margins("nation:all"), at_goal.margin, atol=1e-6)

        # share_of_cities on declining cities, `by`: per-city trajectories, reported Decembers only,
        # so the best margin can only be lower than the engine's (which sees every month).
        judge = goals.GroupJudge(run, by_goal)
        assert not judge.from_aggregates
        assert np.all(judge.margins("nation:all") <= by_goal.margin + 1e-9)
        assert judge.met("category:growing") is None  # no declining city is in the growing class
        assert judge.met("category:declining") is not None


def test_threshold_curve_at_the_scenarios_threshold_is_the_engines_probability(runs):
    with RunFile(runs["a"]) as run:
        for goal in run.goals:
            x, prob, threshold, _, _ = goals.threshold_axis(goal)
            assert prob(np.array([threshold]))[0] == pytest.approx(goal.probability)
            assert len(x) == len(goal.met)


def test_selectors_pick_the_cities_the_scenario_names(runs):
    with RunFile(runs["a"]) as run:
        c = run.cities
        assert goals.selection(run, "all").all()
        declining = goals.selection(run, {"category": ["declining"]})
        assert np.array_equal(declining, c["category_2013"] == "declining")
        exhausted = goals.selection(run, {"exhausted": True})  # YAML reads `yes` as true
        assert np.array_equal(exhausted, c["exhausted_batch"] > 0)
        shanxi = goals.selection(run, {"province": ["山西"]})
        assert shanxi.any() and set(c["province_en"][shanxi]) == {"Shanxi"}
        assert goals.selection(run, {"no_such_criterion": 1}) is None


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


@pytest.mark.parametrize("extra", [None, ["--no-such-flag"], ["--map-indicator", "no_such_indicator"]])
def test_bad_flags_exit_2(runs, tmp_path, extra):
    args = [] if extra is None else [runs["a"], "-o", tmp_path / "site", *extra]  # None: no arguments at all
    r = tool("report", *args)
    assert r.returncode == 2
    assert "tools/report: error:" in r.stderr
