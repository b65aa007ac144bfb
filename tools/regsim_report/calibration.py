"""`tools/report --calibration DIR`: the output of `regsim calibrate` as charts and calibration.html.

One chart per target: for each wave, the 90 % band (5th-95th percentile) and the median of the
simulated value over all runs of the wave (grey) and over its non-implausible runs (blue), against
the observation +/- 2 observation errors (orange). Reads fit.csv, waves.csv and runs.csv.
"""
import csv
import datetime
import math
import pathlib
import re

import numpy as np

from . import style
from .page import Page
from .runfile import InputError
from .style import plt

CHART_SIZE = (9.0, 4.5)
OBSERVED = "#d2572b"
KEPT = style.SCENARIO_COLOURS[0]
ALL = "#9a9a9a"


def _read(path):
    try:
        with open(path, newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))
    except FileNotFoundError:
        raise InputError(path.parent, f"not a regsim calibration directory (no {path.name})") from None
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise InputError(path, f"cannot read ({e})") from None


def _number(row, key, path):
    try:
        return float(row[key])
    except (KeyError, TypeError, ValueError):
        raise InputError(path, f"column '{key}' missing or not a number") from None


class Calibration:
    """The files of one `regsim calibrate` output directory."""

    def __init__(self, directory):
        self.dir = pathlib.Path(directory)
        if not self.dir.is_dir():
            raise InputError(self.dir, "not a directory")
        self.fit = _read(self.dir / "fit.csv")
        waves = _read(self.dir / "waves.csv")
        runs = _read(self.dir / "runs.csv")
        if not self.fit or not waves or not runs:
            raise InputError(self.dir, "an empty calibration file (fit.csv, waves.csv or runs.csv)")
        self.targets = [row["name"] for row in self.fit]
        missing = [t for t in self.targets if t not in runs[0]]
        if missing:
            raise InputError(self.dir / "runs.csv", f"no column for target(s) {', '.join(missing)}")
        fixed = {"wave", "point", "max_implausibility", "second_implausibility", "non_implausible"}
        self.parameters = [c for c in waves[0] if c not in fixed and not c.startswith("implausibility:")]
        self.kept = {(int(r["wave"]), int(r["point"])): r["non_implausible"] == "1" for r in waves}
        self.points = waves
        self.waves = sorted({w for w, _ in self.kept})
        # values[target][wave] = (all values, non-implausible values)
        self.values = {t: {w: ([], []) for w in self.waves} for t in self.targets}
        for r in runs:
            key = (int(r["wave"]), int(r["point"]))
            for t in self.targets:
                v = _number(r, t, self.dir / "runs.csv")
                everything, kept = self.values[t][key[0]]
                everything.append(v)
                if self.kept.get(key, False):
                    kept.append(v)

    def survivors(self, wave):
        return sum(1 for (w, _), k in self.kept.items() if w == wave and k)

    def points_in(self, wave):
        return sum(1 for (w, _) in self.kept if w == wave)


def _band(values):
    if not values:
        return None
    return np.percentile(values, [5, 50, 95])


def chart_name(index, target):
    return f"calibration-{index:02d}-{re.sub(r'[^A-Za-z0-9_.-]+', '_', target)}.png"


def target_chart(cal, row, path):
    """Observed +/- 2 errors against each wave's simulated 90 % band and median."""
    name = row["name"]
    observed = float(row["observed"])
    error = float(row["error"])
    fig, ax = plt.subplots(figsize=CHART_SIZE, dpi=style.DPI)
    ax.axhspan(observed - 2 * error, observed + 2 * error, color=OBSERVED, alpha=0.18, lw=0,
               label="observed ± 2 errors")
    ax.axhline(observed, color=OBSERVED, lw=1.6, label=f"observed {observed:.4g}")
    for i, w in enumerate(cal.waves):
        everything, kept = cal.values[name][w]
        for offset, values, colour, label in ((-0.12, everything, ALL, "all runs"),
                                              (0.12, kept, KEPT, "non-implausible runs")):
            band = _band(values)
            if band is None:
                continue
            x = w + offset
            ax.plot([x, x], [band[0], band[2]], color=colour, lw=6, alpha=0.55, solid_capstyle="butt",
                    label=f"{label}: 90 % band" if i == 0 else None)
            ax.plot([x], [band[1]], marker="o", color=colour, ms=6, markeredgecolor="white",
                    label=f"{label}: median" if i == 0 else None)
    ax.set_xticks(cal.waves)
    ax.set_xticklabels([f"wave {w}\n{cal.survivors(w)}/{cal.points_in(w)} kept" for w in cal.waves])
    ax.set_xlim(min(cal.waves) - 0.6, max(cal.waves) + 0.6)
    ax.set_title(f"{name}: {row['indicator']} ({row['where']}, {row['date']})", fontsize=11)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
    fig.subplots_adjust(left=0.1, right=0.7, bottom=0.18, top=0.9)
    fig.savefig(path, dpi=style.DPI)
    plt.close(fig)


def _fmt(text):
    try:
        v = float(text)
    except ValueError:
        return text
    return "NaN" if math.isnan(v) else f"{v:.4g}"


def build_calibration(directory, out):
    """Charts and calibration.html in `out`; returns the chart file names."""
    cal = Calibration(directory)
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    charts = []
    for i, row in enumerate(cal.fit):
        name = chart_name(i, row["name"])
        target_chart(cal, row, out / name)
        charts.append(name)

    page = Page(f"Calibration: {cal.dir.name}")
    page.section("summary", "Waves")
    page.paragraph("History matching (regsim calibrate): each wave is a Latin hypercube inside the padded "
                   "bounding box of the previous wave's non-implausible points; a point is non-implausible "
                   "when its largest implausibility over the targets is at most 3.")
    page.table(["wave", "points", "non-implausible"],
               [[w, cal.points_in(w), cal.survivors(w)] for w in cal.waves], numeric=(0, 1, 2))
    rows = []
    for k, p in enumerate(cal.parameters):
        for w in cal.waves:
            xs = [float(r[p]) for r in cal.points if int(r["wave"]) == w]
            kept = [float(r[p]) for r in cal.points if int(r["wave"]) == w and r["non_implausible"] == "1"]
            rows.append([p, w, f"[{min(xs):.4g}, {max(xs):.4g}]",
                         f"[{min(kept):.4g}, {max(kept):.4g}]" if kept else "none"])
    page.table(["parameter", "wave", "points span", "non-implausible span"], rows)
    page.section("fit", "Targets")
    page.table(["target", "indicator", "where", "date", "observed", "error", "median", "p05", "p95",
                "implausibility at the best point", "source"],
               [[r["name"], r["indicator"], r["where"], r["date"], _fmt(r["observed"]), _fmt(r["error"]),
                 _fmt(r["simulated_median"]), _fmt(r["simulated_p05"]), _fmt(r["simulated_p95"]),
                 _fmt(r["implausibility_best"]), r["source"]] for r in cal.fit],
               numeric=(4, 5, 6, 7, 8, 9))
    for name, row in zip(charts, cal.fit):
        page.figure(name, f"{row['name']}: the observation ± 2 observation errors (orange) against the "
                          f"90 % band and median of the simulated {row['indicator']} per wave, over all runs "
                          f"(grey) and the non-implausible runs (blue). Source: {row['source']}")
    generated = (f"Generated {datetime.datetime.now().isoformat(timespec='seconds')} by tools/report "
                 f"--calibration from {cal.dir}")
    (out / "calibration.html").write_text(page.render(generated), encoding="utf-8")
    return charts
