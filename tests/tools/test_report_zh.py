"""tools/report --lang zh: no English label is left in the charts or in index.html.

Every text artist of every chart (titles, axis labels, tick labels, legends, annotations, colour bars, the CART
tree's nodes) is read as the chart is saved. What may stay in Latin letters: what the scenario's author wrote
(scenario, goal and policy names, descriptions, sources, parameter names), identifiers and paths
(/goals/margin, replacement.growth_rate, file names), numbers, and a few proper names (below).
"""
import html.parser
import re

import pytest

from conftest import tool
from regsim_report import messages, report, style
from regsim_report.runfile import open_runs

# Method, program and data-set names that Chinese texts write in Latin letters too.
PROPER_NAMES = {"PRIM", "CART", "Wilson", "Sobol", "Morris", "regsim", "Debian", "DCW", "gmt-dcw", "scikit-learn",
                "tools/report", "regsim calibrate"}
# Paths, file names, dotted parameter names, snake_case words; hexadecimal revisions.
IDENTIFIER = re.compile(r"(?a)[\w-]*[/_.]\w[\w/.-]*|\b(?=[0-9a-f]*[0-9])[0-9a-f]{7,}\b")
WORD = re.compile(r"[A-Za-z]{2,}")


def authored(runs):
    """What the scenarios' authors wrote, longest first (so a name containing another is removed whole)."""
    texts = set()
    for r in runs:
        texts |= {r.label, r.path.name, str(r.path), r.scenario.get("description", "")}
        texts |= {g.name for g in r.goals} | {g.source for g in r.goals}
        texts |= {p.name for p in r.policies} | {p.source for p in r.policies}
        texts |= set(r.uncertainty_names)
    return sorted((t for t in texts if t), key=len, reverse=True)


def english_words(text, allowed):
    """Latin words left once authored names, proper names and identifiers are removed. Charts wrap long names
    at spaces and hyphens, so the lines are joined both ways and the cleaner reading counts."""
    readings = []
    for joined in (text.replace("\n", " "), text.replace("\n", "")):
        joined = IDENTIFIER.sub(" ", joined)
        for a in allowed:
            joined = joined.replace(a, " ")
        for name in sorted(PROPER_NAMES, key=len, reverse=True):
            joined = joined.replace(name, " ")
        readings.append(WORD.findall(joined))
    return min(readings, key=len)


class PageText(html.parser.HTMLParser):
    """The text a reader sees in a page: its character data (not the style sheet) and the images' alt texts."""

    def __init__(self):
        super().__init__()
        self.texts = []
        self.in_style = False

    def handle_data(self, data):
        if data.strip() and not self.in_style:
            self.texts.append(data.strip())

    def handle_starttag(self, tag, attrs):
        self.in_style = tag == "style"
        self.texts += [v for k, v in attrs if k == "alt" and v]

    def handle_endtag(self, tag):
        self.in_style = False


@pytest.fixture(scope="module")
def chinese(runs, tmp_path_factory, request):
    """(chart texts {file: [text]}, page texts, run files) of a --lang zh report of both runs."""
    from matplotlib.text import Text
    out = tmp_path_factory.mktemp("zh") / "report"
    texts = {}
    save = style.save

    def save_and_read(fig, path):
        name = save(fig, path)  # drawn: tick labels hold their final text
        texts[name] = [a.get_text() for a in fig.findobj(Text) if a.get_visible() and a.get_text().strip()]
        return name

    runs_open = open_runs([runs["a"], runs["b"]])
    request.addfinalizer(lambda: [r.close() for r in runs_open])
    style.save = save_and_read
    try:
        charts = report.build(runs_open, out, lang="zh")
    finally:
        style.save = save
        messages.use("en")
    assert sorted(texts) == sorted(charts)
    parser = PageText()
    parser.feed((out / "index.html").read_text(encoding="utf-8"))
    return texts, parser.texts, runs_open, out


def test_no_english_label_in_any_chart(chinese):
    texts, _, runs, _ = chinese
    allowed = authored(runs)
    left = {(chart, text): words for chart, items in texts.items() for text in items
            if (words := english_words(text, allowed))}
    assert not left, "\n".join(f"{chart}: {text!r} -> {words}" for (chart, text), words in left.items())


def test_no_english_text_in_the_page(chinese):
    _, page, runs, out = chinese
    allowed = authored(runs)
    left = {text: words for text in page if (words := english_words(text, allowed))}
    assert not left, "\n".join(f"{text!r} -> {words}" for text, words in left.items())
    assert '<html lang="zh-CN">' in (out / "index.html").read_text(encoding="utf-8")


def test_chinese_names_units_and_places(chinese):
    texts, page, _, _ = chinese
    every = "\n".join(t for items in texts.values() for t in items)
    for category in ("成长型", "成熟型", "衰退型", "再生型"):
        assert category in every
    assert "万人" in every  # persons in units of 10^4
    assert "山西" in "\n".join(texts["goals-province.png"])  # provinces from /province_zh
    map_texts = "\n".join(texts["map-light-a.png"])
    assert "大庆市" in map_texts and "Daqing" not in map_texts  # cities from /city_name_zh
    assert "城镇登记失业率" in "\n".join(page)


def test_persons_are_scaled_to_ten_thousands(runs):
    messages.use("zh")
    try:
        assert style.display_unit("persons", [3.2e6]) == (1e-4, "万人")
        assert style.display_unit("1e8 CNY/year", [5.0]) == (1.0, "亿元/年")
    finally:
        messages.use("en")
    assert style.display_unit("persons", [3.2e6]) == (1e-6, "million persons")


def test_english_stays_the_default_and_lang_is_checked(runs, tmp_path):
    r = tool("report", runs["a"], "-o", tmp_path / "site", "--lang", "fr")
    assert r.returncode == 2 and "--lang" in r.stderr
    r = tool("report", runs["a"], "-o", tmp_path / "site")
    assert r.returncode == 0, r.stderr
    assert '<html lang="en">' in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
