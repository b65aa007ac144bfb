"""tools/report with a `regsim attribute` file: an Attribution section with a waterfall per goal whose bars
climb from P(met) without the package, share by share, to P(met) with it; the same in Chinese with no English
word left; a damaged attribution file is refused with exit 2.

The build directory is $REGSIM_BUILD_DIR, by default <repo>/build.
"""
import subprocess

import h5py
import numpy as np
import pytest

from conftest import REGSIM, REPO, tool
from regsim_report import attribution, messages, report, style
from test_report_zh import PageText, english_words

TINY = REPO / "tests" / "data" / "regions" / "tiny"
SCENARIO = f"""\
scenario: tiny-package
region: {TINY}
horizon: {{start: 2013-01, end: 2015-12}}
experiment: {{replications: 6, seed: 3}}
uncertainties:
  labour.job_finding_rate: {{uniform: [0.01, 0.05]}}
policies:
  - {{name: seats, lever: training_seats, where: all, when: {{from: 2013-03}},
     set: {{seats_per_1000_unemployed: 150}}}}
  - {{name: public-jobs, lever: public_jobs, where: all, when: {{from: 2013-02}},
     set: {{share_of_unemployed: 0.4}}}}
goals:
  - {{name: unemployment-below-5pct, indicator: unemployment_rate, at: 2015-12, below: 0.05}}
  - {{name: few-unemployed-ex-miners, indicator: unemployed_ex_miners, at: 2015-12, below: 2000}}
"""


@pytest.fixture(scope="module")
def attribution_file(tmp_path_factory):
    if not REGSIM.exists():
        pytest.skip(f"{REGSIM} is missing: build first")
    d = tmp_path_factory.mktemp("attribution")
    (d / "package.yaml").write_text(SCENARIO)
    out = d / "package-attribution.h5"
    r = subprocess.run([str(REGSIM), "attribute", d / "package.yaml", "-o", out, "-j", "2", "--quiet"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return out


def drawn(attributions, out, lang):
    """(chart texts {file: [text]}, the bars of each chart {file: [(bottom, height)]}) of a report."""
    from matplotlib.patches import Rectangle
    from matplotlib.text import Text
    texts, bars = {}, {}
    save = style.save

    def save_and_read(fig, path):
        name = save(fig, path)
        texts[name] = [a.get_text() for a in fig.findobj(Text) if a.get_visible() and a.get_text().strip()]
        ax = fig.axes[0]
        bars[name] = [(p.get_y(), p.get_height()) for p in ax.patches if isinstance(p, Rectangle)]
        return name

    style.save = save_and_read
    try:
        charts = report.build_attribution(attributions, out, lang=lang)
    finally:
        style.save = save
        messages.use("en")
    assert sorted(texts) == sorted(charts)
    return texts, bars


def test_each_goal_gets_a_waterfall_that_adds_up(attribution_file, tmp_path):
    a = attribution.AttributionFile(attribution_file)
    _, bars = drawn([a], tmp_path / "site", "en")
    assert len(bars) == len(a.goals) == 2
    for k, goal in enumerate(a.goals):
        chart = next(name for name in bars if report.slug(goal) in name)
        first, *steps, last = bars[chart]
        assert first == (0.0, pytest.approx(a.without[k], abs=1e-12))
        assert last == (0.0, pytest.approx(a.with_[k], abs=1e-12))
        assert len(steps) == len(a.players)
        top = first[1]
        for (bottom, height), share in zip(steps, a.share[:, k]):
            assert bottom == pytest.approx(top, abs=1e-12) and height == pytest.approx(share, abs=1e-12)
            top += height
        assert top == pytest.approx(last[1], abs=1e-9)  # the shares add up to the package's effect


def test_the_report_with_a_run_file_and_an_attribution_file(attribution_file, runs, tmp_path):
    r = tool("report", runs["a"], attribution_file, "-o", tmp_path / "site")
    assert r.returncode == 0, r.stderr
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'id="attribution"' in page and "Shapley" in page
    assert "average over every order" in page
    assert (tmp_path / "site" / "attribution-tiny-package-unemployment-below-5pct.png").is_file()


def test_chinese_attribution_has_no_english_left(attribution_file, tmp_path):
    a = attribution.AttributionFile(attribution_file)
    texts, _ = drawn([a], tmp_path / "site", "zh")
    authored = {a.label, a.path.name, str(a.path), *a.players, *a.goals}
    allowed = sorted(authored, key=len, reverse=True)
    left = {(c, x): w for c, items in texts.items() for x in items if (w := english_words(x, allowed))}
    assert not left, left
    parser = PageText()
    parser.feed((tmp_path / "site" / "index.html").read_text(encoding="utf-8"))
    left = {x: w for x in parser.texts if (w := english_words(x, allowed))}
    assert not left, left
    assert any("沙普利" in x for x in parser.texts)


def test_a_damaged_attribution_file_is_refused(attribution_file, tmp_path):
    damaged = tmp_path / "damaged.h5"
    with h5py.File(attribution_file) as f, h5py.File(damaged, "w") as g:
        f.copy("attribution", g)
        for k, v in f.attrs.items():
            g.attrs[k] = v
        del g["attribution/met_share"]
    r = tool("report", damaged, "-o", tmp_path / "site")
    assert r.returncode == 2
    assert r.stderr.startswith("tools/report: error: ") and "damaged.h5" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert np.isfinite(attribution.AttributionFile(attribution_file).share).all()
