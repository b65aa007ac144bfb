"""Fan charts over replicates, several scenarios overlaid, and paired differences B - A."""
import numpy as np
from matplotlib.patches import Patch
from matplotlib.lines import Line2D

from . import messages, style
from .messages import t
from .stats import quantiles

FAN_GROUPS = ["nation:all"] + [f"category:{c}" for c in style.CATEGORY_ORDER]
def bands(data):
    """Quantiles over the replicate axis (0) of [replicate, time]: p05, p25, p50, p75, p95."""
    with np.errstate(all="ignore"):
        q = quantiles(data, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    return dict(zip(("p05", "p25", "p50", "p75", "p95"), q))


LINESTYLES = ["-", "--", ":", "-."]  # later runs dashed, so coinciding medians stay visible


def look(i):
    """(colour, line style) of the i-th run or pair."""
    return style.SCENARIO_COLOURS[i % len(style.SCENARIO_COLOURS)], LINESTYLES[i % len(LINESTYLES)]


def draw_fan(ax, dates, data, i, factor=1.0):
    colour, line = look(i)
    q = bands(data * factor)
    ax.fill_between(dates, q["p05"], q["p95"], color=colour, alpha=0.15, linewidth=0)
    ax.fill_between(dates, q["p25"], q["p75"], color=colour, alpha=0.35, linewidth=0)
    ax.plot(dates, q["p50"], color=colour, linestyle=line, linewidth=1.8)


def _legend_axes(ax, entries, note):
    ax.axis("off")
    handles = [Line2D([], [], color=look(i)[0], linestyle=look(i)[1], linewidth=2, label=t) for i, t in entries]
    handles += [Patch(color="0.45", alpha=0.35, label=t("legend_half")),
                Patch(color="0.45", alpha=0.15, label=t("legend_ninety"))]
    ax.legend(handles=handles, loc="upper left", frameon=False, fontsize=10, title=t("legend_title"))
    ax.text(0.0, 0.02, note, transform=ax.transAxes, fontsize=9, va="bottom", wrap=True, color="0.25")


def fan_chart(runs, indicator, path):
    """One indicator, nation and the four 2013 categories; every run in its own colour."""
    have = [r for r in runs if indicator in r.indicators]
    if not have:
        return None
    units = have[0].units(indicator)
    fig = style.figure(style.FAN_SIZE)
    axes = fig.subplots(2, 3).ravel()
    for ax, group in zip(axes, FAN_GROUPS):
        series = [(i, r, r.aggregate(indicator, groups=[group])[:, 0, :])
                  for i, r in enumerate(runs) if r in have and group in r.group_index]
        ax.set_title(messages.group(group))
        if not series:
            ax.text(0.5, 0.5, t("no_cities_in_group"), ha="center", va="center", transform=ax.transAxes)
            continue
        factor, unit = style.display_unit(units, np.concatenate([s.ravel() for _, _, s in series]))
        for i, r, data in series:
            draw_fan(ax, r.dates, data, i, factor)
        style.year_axis(ax, np.concatenate([r.dates for _, r, _ in series]))
        ax.set_ylabel(style.axis_label(messages.indicator_short(indicator), unit))
    entries = [(i, t("legend_run", label=r.label, n=len(r.replicates))) for i, r in enumerate(runs) if r in have]
    _legend_axes(axes[5], entries, t("fan_note"))
    fig.suptitle(t("fan_title", title=messages.indicator(indicator)), fontsize=13)
    return style.save(fig, path)


def pairing(a, b):
    """(replicate indices in a, in b, time indices in a, in b), or a reason the runs cannot be paired."""
    if a.seed != b.seed:
        return t("pair_seeds", a=a.seed, b=b.seed)
    if not np.array_equal(a.cities["id"], b.cities["id"]):
        return t("pair_regions")
    common_reps, ra, rb = np.intersect1d(a.replicates, b.replicates, return_indices=True)
    common_months, ta, tb = np.intersect1d(a.months, b.months, return_indices=True)
    if len(common_reps) < 2:
        return t("pair_replicates")
    if len(common_months) == 0:
        return t("pair_months")
    return ra, rb, ta, tb


def difference_chart(runs, pairs, indicator, path):
    """B - A per replicate pair, for each (A, B) pair of runs; bands over the pairs."""
    pairs = [p for p in pairs if indicator in p[0].indicators and indicator in p[1].indicators]
    if not pairs:
        return None
    units = pairs[0][0].units(indicator)
    fig = style.figure(style.FAN_SIZE)
    axes = fig.subplots(2, 3).ravel()
    entries = []
    for ax, group in zip(axes, FAN_GROUPS):
        ax.set_title(messages.group(group))
        diffs = []
        for k, (a, b, (ra, rb, ta, tb)) in enumerate(pairs):
            if group not in a.group_index or group not in b.group_index:
                continue
            da = a.aggregate(indicator, groups=[group])[ra][:, 0, ta]
            db = b.aggregate(indicator, groups=[group])[rb][:, 0, tb]
            diffs.append((k, a.dates[ta], db - da))
        if not diffs:
            ax.text(0.5, 0.5, t("no_cities_in_group"), ha="center", va="center", transform=ax.transAxes)
            continue
        factor, unit = style.display_unit(units, np.concatenate([d.ravel() for _, _, d in diffs]))
        if units == "1":
            unit = messages.unit("percentage_points")
        ax.axhline(0, color="0.3", linewidth=0.8)
        for k, dates, d in diffs:
            draw_fan(ax, dates, d, k + 1, factor)
        style.year_axis(ax, np.concatenate([dates for _, dates, _ in diffs]))
        if all(np.all(d == 0) for _, _, d in diffs):
            ax.text(0.5, 0.6, t("difference_zero"),
                    ha="center", va="center", transform=ax.transAxes, color="0.3")
        ax.set_ylabel(style.axis_label(t("difference"), unit))
    for k, (a, b, (ra, *_)) in enumerate(pairs):
        entries.append((k + 1, t("difference_legend", b=b.label, a=a.label, n=len(ra))))
    _legend_axes(axes[5], entries, t("difference_note"))
    fig.suptitle(t("difference_title", title=messages.indicator(indicator)), fontsize=13)
    return style.save(fig, path)
