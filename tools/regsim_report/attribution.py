"""The Attribution section: for a `regsim attribute` file, a waterfall per goal from the probability of meeting the
goal with none of the package's policies, through each player's Shapley share, to the probability with the whole
package, and a table of the shares with their 90 % intervals."""
import textwrap

import h5py
import numpy as np

from .messages import headers, t
from .runfile import InputError, attr_text

WATERFALL_SIZE = (12.0, 5.5)
UP, DOWN, ENDS = "#2a8c4a", "#c0392b", "#1f5fa8"


def _strings(dataset):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in dataset[()]]


class AttributionFile:
    """What the report draws from one attribution file; every array is read at once."""

    def __init__(self, path):
        self.path = path
        try:
            f = h5py.File(path, "r")
        except OSError as e:
            raise InputError(path, f"not an HDF5 file ({e})") from None
        with f:
            if "attribution" not in f:
                raise InputError(path, "not a regsim attribution file (no /attribution)")
            try:
                g = f["attribution"]
                self.scenario = attr_text(f.attrs["scenario"])
                self.method = attr_text(f.attrs["method"])
                self.replications = int(f.attrs["replications"])
                self.players = _strings(g["player"])
                self.goals = _strings(g["goal"]) if "goal" in g else []
                if self.goals:
                    self.share = g["met_share"][()]  # [player, goal]
                    self.low, self.high = g["met_share_low"][()], g["met_share_high"][()]
                    self.without, self.with_ = g["met_without"][()], g["met_with"][()]
            except (KeyError, OSError, ValueError) as e:
                raise InputError(path, f"damaged or incomplete attribution file ({e})") from None

    @property
    def label(self):
        return self.scenario


def is_attribution_file(path):
    """True if `path` is an HDF5 file with an /attribution group (a run file has none)."""
    try:
        with h5py.File(path, "r") as f:
            return "attribution" in f
    except OSError:
        return False


def _share_text(share):
    """'+3.1%'; round-off around zero (-1e-17) as '+0.0%', not '-0.0%'."""
    return f"{0.0 if abs(share) < 5e-4 else share:+.1%}"


def waterfall(a, goal, path):
    """Bars from P(met) without the package, each player's share (green up, red down, with its 90 % interval),
    to P(met) with the package."""
    import matplotlib.pyplot as plt  # here: matplotlib takes a moment to import

    from . import style
    fig, ax = plt.subplots(figsize=WATERFALL_SIZE)
    share = a.share[:, goal]
    level = a.without[goal]
    labels = [t("attribution_without")]
    ax.bar(0, level, color=ENDS, width=0.6)
    for i, player in enumerate(a.players, start=1):
        s = share[i - 1]
        ax.bar(i, s, bottom=level, color=UP if s >= 0 else DOWN, width=0.6)
        top = level + s
        ax.errorbar(i, top, yerr=[[s - a.low[i - 1, goal]], [a.high[i - 1, goal] - s]], color="#333",
                    capsize=4, linewidth=1)
        ax.text(i, max(level, top), _share_text(s), ha="center", va="bottom", fontsize=9)
        ax.plot([i - 1 + 0.3, i - 0.3], [level, level], color="#888", linewidth=0.8)
        level = top
        labels.append("\n".join(textwrap.wrap(player, 18)))
    end = len(a.players) + 1
    ax.plot([end - 1 + 0.3, end - 0.3], [level, level], color="#888", linewidth=0.8)
    ax.bar(end, a.with_[goal], color=ENDS, width=0.6)
    labels.append(t("attribution_with"))
    for x, v in ((0, a.without[goal]), (end, a.with_[goal])):
        ax.text(x, v, f"{v:.1%}", ha="center", va="bottom", fontsize=9)
    ax.set_xticks(range(end + 1))
    ax.set_xticklabels(labels, fontsize=8)
    tops = a.without[goal] + np.cumsum(share)
    highest = max(a.without[goal], a.with_[goal], *tops, *(tops + a.high[:, goal] - share))
    ax.set_ylim(0.0, min(1.1, highest * 1.1 + 0.03))  # room for the labels under the title
    ax.set_ylabel(t("attribution_axis"))
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_title(t("attribution_title", goal=a.goals[goal], scenario=a.label))
    fig.tight_layout()
    return style.save(fig, path)


def section(page, attributions, out, slug):
    """Adds the Attribution section to `page`; returns the chart file names."""
    charts = []
    page.section("attribution", t("section_attribution"))
    page.paragraph(t("attribution_intro"))
    for a in attributions:
        method = t("attribution_exact") if a.method == "exact" else t("attribution_sampled")
        page.paragraph(t("attribution_file", file=a.path.name, scenario=a.label, players=len(a.players),
                         replications=a.replications, method=method), "note")
        if not a.goals:
            page.paragraph(t("attribution_no_goals"), "note")
            continue
        for k, goal in enumerate(a.goals):
            name = waterfall(a, k, out / f"attribution-{slug(a.label)}-{slug(goal)}.png")
            charts.append(name)
            effect = a.with_[k] - a.without[k]
            page.figure(name, t("attribution_caption", goal=goal, without=f"{a.without[k]:.0%}",
                                with_=f"{a.with_[k]:.0%}", effect=_share_text(effect)))
            rows = []
            for i, player in enumerate(a.players):
                part = t("dash") if abs(effect) < 5e-4 else f"{a.share[i, k] / effect:.0%}"
                rows.append((player, _share_text(a.share[i, k]),
                             f"{_share_text(a.low[i, k])} … {_share_text(a.high[i, k])}", part))
            page.table(headers("attribution_headers"), rows, numeric=(1, 2, 3))
    return charts


def open_attributions(paths):
    return [AttributionFile(p) for p in paths]
