"""Fan charts over replicates, several scenarios overlaid, and paired differences B - A."""
import numpy as np
from matplotlib.patches import Patch
from matplotlib.lines import Line2D

from . import style
from .stats import quantiles

FAN_GROUPS = ["nation:all"] + [f"category:{c}" for c in style.CATEGORY_ORDER]
GROUP_TITLES = {
    "nation:all": "All cities of the run",
    "category:growing": "Growing cities (2013 class)",
    "category:mature": "Mature cities (2013 class)",
    "category:declining": "Declining cities (2013 class)",
    "category:regenerating": "Regenerating cities (2013 class)",
}


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
    handles += [Patch(color="0.45", alpha=0.35, label="50 % of replicates"),
                Patch(color="0.45", alpha=0.15, label="90 % of replicates")]
    ax.legend(handles=handles, loc="upper left", frameon=False, fontsize=10, title="median line and bands")
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
        ax.set_title(GROUP_TITLES[group])
        if not series:
            ax.text(0.5, 0.5, "no cities in this group", ha="center", va="center", transform=ax.transAxes)
            continue
        factor, unit = style.display_unit(units, np.concatenate([s.ravel() for _, _, s in series]))
        for i, r, data in series:
            draw_fan(ax, r.dates, data, i, factor)
        style.year_axis(ax, np.concatenate([r.dates for _, r, _ in series]))
        ax.set_ylabel(style.axis_label(style.TITLES.get(indicator, indicator).split(" (")[0], unit))
    entries = [(i, f"{r.label} ({len(r.replicates)} replicates)") for i, r in enumerate(runs) if r in have]
    _legend_axes(axes[5], entries, "Groups: the cities' 2013 plan class\n(membership fixed). Ratios are\nratios of sums over the group.")
    fig.suptitle(f"{style.TITLES.get(indicator, indicator)}: median, 50 % and 90 % bands over replicates",
                 fontsize=13)
    return style.save(fig, path)


def pairing(a, b):
    """(replicate indices in a, in b, time indices in a, in b), or a reason the runs cannot be paired."""
    if a.seed != b.seed:
        return f"different seeds ({a.seed} and {b.seed}): replicates are not paired"
    if not np.array_equal(a.cities["id"], b.cities["id"]):
        return "different regions (city lists differ)"
    common_reps, ra, rb = np.intersect1d(a.replicates, b.replicates, return_indices=True)
    common_months, ta, tb = np.intersect1d(a.months, b.months, return_indices=True)
    if len(common_reps) < 2:
        return "fewer than 2 replicates in common"
    if len(common_months) == 0:
        return "no reported month in common"
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
        ax.set_title(GROUP_TITLES[group])
        diffs = []
        for k, (a, b, (ra, rb, ta, tb)) in enumerate(pairs):
            if group not in a.group_index or group not in b.group_index:
                continue
            da = a.aggregate(indicator, groups=[group])[ra][:, 0, ta]
            db = b.aggregate(indicator, groups=[group])[rb][:, 0, tb]
            diffs.append((k, a.dates[ta], db - da))
        if not diffs:
            ax.text(0.5, 0.5, "no cities in this group", ha="center", va="center", transform=ax.transAxes)
            continue
        factor, unit = style.display_unit(units, np.concatenate([d.ravel() for _, _, d in diffs]))
        if units == "1":
            unit = "percentage points"
        ax.axhline(0, color="0.3", linewidth=0.8)
        for k, dates, d in diffs:
            draw_fan(ax, dates, d, k + 1, factor)
        style.year_axis(ax, np.concatenate([dates for _, dates, _ in diffs]))
        if all(np.all(d == 0) for _, _, d in diffs):
            ax.text(0.5, 0.6, "B − A = 0 exactly in every replicate pair",
                    ha="center", va="center", transform=ax.transAxes, color="0.3")
        ax.set_ylabel(style.axis_label("difference B − A", unit))
    for k, (a, b, (ra, *_)) in enumerate(pairs):
        entries.append((k + 1, f"B = {b.label} minus A = {a.label}\n({len(ra)} pairs, same seed)"))
    _legend_axes(axes[5], entries, "Each replicate of B minus the replicate\nof A with the same index (common\nrandom numbers); bands over the pairs.")
    fig.suptitle(f"{style.TITLES.get(indicator, indicator)}: paired difference B − A", fontsize=13)
    return style.save(fig, path)
