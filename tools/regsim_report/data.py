"""Model vs data: a run's aggregates against the observations of a targets file
(calibration/targets.yaml by default, the file `regsim calibrate` reads).

A target is drawn where its `where:` is one group of the run's aggregates
(all, or one category, province or resource) and its date lies in the run:
the observation with a bar of ± 2 errors (`mean_over`: at the middle of the
span, with the span as a horizontal bar), over the run's median and bands.
"""
import math
import pathlib

import numpy as np
import yaml

from . import messages, style
from .fan import draw_fan
from .runfile import InputError

DEFAULT_TARGETS = pathlib.Path(__file__).resolve().parents[2] / "calibration" / "targets.yaml"
_KINDS = {"category": "category", "province": "province", "resource": "resource"}


def _group(where):
    """The aggregates group a target's `where:` names, or None."""
    if where in (None, "all"):
        return "nation:all"
    if not isinstance(where, dict) or len(where) != 1:
        return None
    (key, values), = where.items()
    if key not in _KINDS or not isinstance(values, list) or len(values) != 1:
        return None
    return f"{_KINDS[key]}:{values[0]}"


def _month(text):
    y, m = str(text).split("-")
    return np.datetime64(f"{int(y):04d}-{int(m):02d}", "M")


def load_targets(path):
    """The targets of a targets file; a file that cannot be read as one raises InputError
    (`regsim calibrate` checks the file in full; this reads what the chart needs)."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f) or {}
    except (OSError, yaml.YAMLError) as e:
        raise InputError(path, f"cannot read targets ({getattr(e, 'strerror', None) or e})") from None
    targets = doc.get("targets") if isinstance(doc, dict) else None
    if not isinstance(targets, list):
        raise InputError(path, "expected a map with a list 'targets:'")
    out = []
    for i, t in enumerate(targets):
        try:
            if "at" in t:
                start = end = _month(t["at"])
            else:
                start, end = (_month(x) for x in t["mean_over"])
            out.append({"name": t.get("name", "?"), "indicator": t.get("indicator"),
                        "group": _group(t.get("where")), "start": start, "end": end,
                        "value": float(t["value"]), "error": float(t.get("error", 0.0)),
                        "source": t.get("source", "")})
        except (KeyError, TypeError, ValueError, AttributeError):
            raise InputError(path, f"targets[{i}]: expected a map with name, indicator, where, at or "
                                   "mean_over [YYYY-MM, YYYY-MM], value and error") from None
    return out


def drawable(runs, targets):
    """Targets that some run can show: (indicator, group) -> [targets]."""
    panels = {}
    for t in targets:
        for r in runs:
            if (t["group"] in r.group_index and t["indicator"] in r.indicators
                    and r.dates[0] <= t["end"] and t["start"] <= r.dates[-1]):
                panels.setdefault((t["indicator"], t["group"]), []).append(t)
                break
    return panels


def chart_size(panels):
    cols = min(3, panels)
    return (5.2 * cols, 3.8 * math.ceil(panels / cols))


def model_vs_data(runs, targets, path):
    """One panel per (indicator, group) with observations; returns the file name, or None if none."""
    panels = drawable(runs, targets)
    if not panels:
        return None
    cols = min(3, len(panels))
    rows = math.ceil(len(panels) / cols)
    fig = style.figure(chart_size(len(panels)))
    axes = np.atleast_1d(fig.subplots(rows, cols)).ravel()
    for ax in axes[len(panels):]:
        ax.axis("off")
    provinces_zh = {}
    for r in runs:
        provinces_zh.update(r.provinces_zh)
    for ax, ((indicator, group), items) in zip(axes, sorted(panels.items())):
        have = [(i, r) for i, r in enumerate(runs) if group in r.group_index and indicator in r.indicators]
        data = [r.aggregate(indicator, groups=[group])[:, 0, :] for _, r in have]
        values = np.concatenate([d.ravel() for d in data] + [np.array([t["value"] for t in items])])
        factor, unit = style.display_unit(have[0][1].units(indicator), values)
        for (i, r), d in zip(have, data):
            draw_fan(ax, r.dates, d, i, factor)
        for t in items:
            mid = t["start"] + (t["end"] - t["start"]) // 2
            ax.errorbar([mid], [t["value"] * factor], yerr=[2 * t["error"] * factor],
                        xerr=None if t["start"] == t["end"] else [[mid - t["start"]], [t["end"] - mid]],
                        fmt="o", color="black", capsize=3, markersize=4, zorder=5)
        style.year_axis(ax, np.concatenate([r.dates for _, r in have]))
        where = messages.group(group, provinces_zh) if messages.language() == "zh" else group
        ax.set_title(messages.t("data_panel", title=messages.indicator_short(indicator), group=where), fontsize=10)
        ax.set_ylabel(style.axis_label(messages.indicator_name(indicator), unit))
    fig.suptitle(messages.t("data_title"), fontsize=12)
    return style.save(fig, path)
