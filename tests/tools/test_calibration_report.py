"""tools/report --calibration DIR on a real `regsim calibrate` output (the tiny region): one chart
per target, a valid calibration.html that links them, the bands computed from runs.csv, clear errors."""
import csv
import html.parser

import matplotlib.image
import numpy as np
import pytest

from conftest import REGSIM, REPO, tool
from regsim_report import calibration

TARGETS = REPO / "tests" / "scenario" / "targets"


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory):
    if not REGSIM.exists():
        pytest.skip(f"{REGSIM} is missing: build first")
    import subprocess
    out = tmp_path_factory.mktemp("calibration") / "out"
    r = subprocess.run([str(REGSIM), "calibrate", str(TARGETS / "tiny.yaml"), "--targets",
                        str(TARGETS / "example.yaml"), "-o", str(out), "--points", "8", "-q"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return out


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.images = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs)["src"])


def test_one_chart_per_target_and_a_page_that_links_them(calibrated, tmp_path):
    site = tmp_path / "site"
    r = tool("report", "--calibration", calibrated, "-o", site)
    assert r.returncode == 0, r.stderr
    assert "wrote" in r.stdout
    with open(calibrated / "fit.csv", newline="") as f:
        names = [row["name"] for row in csv.DictReader(f)]
    charts = sorted(p.name for p in site.glob("*.png"))
    assert charts == sorted(calibration.chart_name(i, n) for i, n in enumerate(names))
    for c in charts:
        image = matplotlib.image.imread(site / c)
        assert image.shape[:2] == (round(calibration.CHART_SIZE[1] * 100), round(calibration.CHART_SIZE[0] * 100))
        assert np.ptp(image[..., :3]) > 0.5  # not blank
    page = (site / "calibration.html").read_text()
    links = Links()
    links.feed(page)
    assert sorted(links.images) == charts
    for n in names:
        assert n in page


def test_default_output_is_the_calibration_directory(calibrated):
    r = tool("report", "--calibration", calibrated)
    assert r.returncode == 0, r.stderr
    assert (calibrated / "calibration.html").is_file()


def test_bands_are_the_percentiles_of_each_waves_runs(calibrated):
    cal = calibration.Calibration(calibrated)
    with open(calibrated / "runs.csv", newline="") as f:
        runs = list(csv.DictReader(f))
    with open(calibrated / "waves.csv", newline="") as f:
        kept = {(r["wave"], r["point"]) for r in csv.DictReader(f) if r["non_implausible"] == "1"}
    target = cal.targets[0]
    for w in cal.waves:
        values = [float(r[target]) for r in runs if r["wave"] == str(w)]
        kept_values = [float(r[target]) for r in runs if r["wave"] == str(w) and (r["wave"], r["point"]) in kept]
        everything, survivors = cal.values[target][w]
        assert everything == values
        assert survivors == kept_values


@pytest.mark.parametrize("broken", ["missing", "no-fit", "bad-runs"])
def test_a_directory_that_is_not_a_calibration_exits_2(calibrated, tmp_path, broken):
    d = tmp_path / "cal"
    if broken != "missing":
        d.mkdir()
        for name in ("fit.csv", "waves.csv", "runs.csv"):
            (d / name).write_bytes((calibrated / name).read_bytes())
        if broken == "no-fit":
            (d / "fit.csv").unlink()
        else:
            (d / "runs.csv").write_text("wave,point,replicate\n1,0,0\n")
    r = tool("report", "--calibration", d)
    assert r.returncode == 2
    assert r.stderr.startswith("tools/report: error: ")
    assert len(r.stderr.strip().splitlines()) == 1


def test_calibration_takes_no_run_files(calibrated):
    r = tool("report", "--calibration", calibrated, "x.h5")
    assert r.returncode == 2
