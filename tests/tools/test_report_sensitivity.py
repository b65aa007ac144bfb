"""tools/report's Sensitivity section: a Sobol run analysed by `regsim sensitivity` gets the goal and over-time
charts with their captions, in English and, with no English word left, in Chinese; a run without /sensitivity gets
no such section.
"""
import subprocess

import pytest

from conftest import REGSIM, SCENARIO_A, tool
from regsim_report import messages, report, style
from regsim_report.runfile import open_runs
from test_report_zh import PageText, authored, english_words

SOBOL = SCENARIO_A.replace("scenario: light-a", "scenario: light-sobol").replace(
    "experiment: {replications: 8, seed: 11}", "experiment: {replications: 4, seed: 11, sampling: sobol}")


@pytest.fixture(scope="module")
def sobol_run(runs, tmp_path_factory):
    d = tmp_path_factory.mktemp("sobol")
    scenario = d / "light-sobol.yaml"
    scenario.write_text(SOBOL)
    out = d / "light-sobol.h5"
    for command in (["run", scenario, "-o", out, "--quiet"],
                    ["sensitivity", out, "--over-time", "unemployment_rate", "--resamples", "100"]):
        r = subprocess.run([str(REGSIM), *map(str, command)], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    return out


def build(paths, out, lang):
    """(chart texts {file: [text]}, charts, page texts) of a report of `paths`."""
    from matplotlib.text import Text
    texts = {}
    save = style.save

    def save_and_read(fig, path):
        name = save(fig, path)
        texts[name] = [a.get_text() for a in fig.findobj(Text) if a.get_visible() and a.get_text().strip()]
        return name

    opened = open_runs(paths)
    style.save = save_and_read
    try:
        charts = report.build(opened, out, lang=lang)
    finally:
        style.save = save
        messages.use("en")
    parser = PageText()
    parser.feed((out / "index.html").read_text(encoding="utf-8"))
    return texts, charts, parser.texts, opened


def test_the_section_draws_goal_and_over_time_charts(sobol_run, tmp_path):
    texts, charts, page, opened = build([sobol_run], tmp_path / "en", "en")
    assert "sensitivity-goals-light-sobol.png" in charts
    assert "sensitivity-over-time-light-sobol.png" in charts
    goal_texts = "\n".join(texts["sensitivity-goals-light-sobol.png"])
    assert "unemployment-below-5pct-2016: margin" in goal_texts
    assert "replacement.growth_rate" in goal_texts and "S_T (total order)" in goal_texts
    joined = "\n".join(page)
    assert "S_T = 0.6 means that 60 % of the spread" in joined
    [r.close() for r in opened]


def test_no_english_left_in_the_chinese_section(sobol_run, tmp_path):
    texts, charts, page, opened = build([sobol_run], tmp_path / "zh", "zh")
    allowed = authored(opened)
    for chart in [c for c in charts if c.startswith("sensitivity-")]:
        left = {text: words for text in texts[chart] if (words := english_words(text, allowed))}
        assert not left, f"{chart}: {left}"
    left = {text: words for text in page if (words := english_words(text, allowed))}
    assert not left, left
    assert "S_T = 0.6 表示" in "\n".join(page)
    [r.close() for r in opened]


def test_a_run_without_sensitivity_has_no_such_section(runs, tmp_path):
    r = tool("report", runs["a"], "-o", tmp_path / "site")
    assert r.returncode == 0, r.stderr
    assert not list((tmp_path / "site").glob("sensitivity-*.png"))
    assert 'id="sensitivity"' not in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
