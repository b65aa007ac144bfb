"""The goal ledger: attainment by category and province, and threshold curves.

Attainment per group is the engine's (/goals/probability_by_group, with
90 % Wilson intervals): each goal's test on the goal's cities within the
group, in every replicate and, for `by` goals, every month.
"""
import math
import textwrap

import numpy as np

from . import messages, style
from .stats import wilson
from .messages import t

def goal_rows(runs):
    """[(run, goal, label)] for every goal of every run, in file order."""
    many = len(runs) > 1
    return [(r, g, f"{r.label}: {g.name}" if many else g.name) for r in runs for g in r.goals]


def attainment(rows, groups):
    """(probability, low, high), each [row, group], from the engine's ledger; NaN where a run lacks the group
    or the goal has no city in it."""
    out = np.full((3, max(len(rows), 1), len(groups)), np.nan)
    for i, (run, goal, _) in enumerate(rows):
        for j, group in enumerate(groups):
            if group in run.group_index:
                k = run.group_index[group]
                out[:, i, j] = [goal.by_group[key][k] for key in ("probability", "low", "high")]
    return out


CATEGORY_GROUPS = ["nation:all"] + [f"category:{c}" for c in style.CATEGORY_ORDER]


def province_groups(runs):
    """Every province of the runs, alphabetically."""
    found = {g for r in runs for g in r.groups_of_kind("province")}
    return sorted(found, key=lambda g: g.split(":", 1)[1])


# -- charts --------------------------------------------------------------------

def _draw_heatmap(ax, values, low, high, row_labels, col_labels):
    """Cells coloured by attainment, each with its 90 % interval below."""
    from matplotlib.colors import LinearSegmentedColormap
    cmap = LinearSegmentedColormap.from_list("attain", ["#c0392b", "#f4d03f", "#27ae60"])
    cmap.set_bad("#dddddd")
    image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(col_labels)), col_labels)
    ax.set_yticks(range(len(row_labels)), row_labels)
    ax.tick_params(axis="x", top=True, bottom=False, labeltop=True, labelbottom=False)
    ax.grid(False)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            v = values[i, j]
            text = "–" if not np.isfinite(v) else (f"{style.percent_label(v)}\n"
                                                   f"{100 * low[i, j]:.0f}–{100 * high[i, j]:.0f} %")
            ax.text(j, i, text, ha="center", va="center", fontsize=8.5, linespacing=1.15,
                    color="black" if not np.isfinite(v) or 0.25 < v < 0.85 else "white")
    return image


def category_heatmap_size(n_rows):
    return (style.HEATMAP_CATEGORY_SIZE[0], 2.5 + 0.5 * max(n_rows, 1))  # quarter inches: whole pixels


def province_heatmap_size(n_cols):
    return (3.5 + 1.75 * max(n_cols, 1), style.HEATMAP_PROVINCE_SIZE[1])


def _wrap(text, width=22):
    return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text


def _colourbar(fig, image, ax, shrink):
    fig.colorbar(image, ax=ax, label=t("attainment_probability"), shrink=shrink,
                 format=lambda x, _: f"{100 * x:.0f} %")


def category_heatmap(runs, path):
    """Rows: goals; columns: all the goal's cities, then its cities in each 2013 category."""
    rows = goal_rows(runs)
    p, low, high = attainment(rows, CATEGORY_GROUPS)
    fig = style.figure(category_heatmap_size(len(rows)))
    ax = fig.add_subplot()
    cols = [t("goal_all_cities_column")] + [t("goal_category_column", category=messages.category(c))
                                            for c in style.CATEGORY_ORDER]
    image = _draw_heatmap(ax, p, low, high, [_wrap(l, 40) for _, _, l in rows] or [t("no_goals")], cols)
    ax.axvline(0.5, color="white", linewidth=4)
    _colourbar(fig, image, ax, 0.9)
    ax.set_title(t("heatmap_category_title"), fontsize=11)
    return style.save(fig, path)


def province_heatmap(runs, path):
    """Rows: provinces (Chinese and English); columns: goals."""
    rows = goal_rows(runs)
    provinces = province_groups(runs)
    p, low, high = attainment(rows, provinces)
    zh, count = {}, {}
    for r in runs:
        if "province_en" not in r.cities:
            continue
        zh.update(r.provinces_zh)
        for en in set(r.cities["province_en"]):
            count[en] = max(count.get(en, 0), int(np.sum(r.cities["province_en"] == en)))
    labels = []
    for g in provinces:
        en = g.split(":", 1)[1]
        if messages.language() == "zh":
            name = messages.province(en, zh.get(en, ""))
        else:
            name = f"{zh[en]} {en}" if style.has_cjk() and zh.get(en) else en
        labels.append(t("province_row", name=name, count=count.get(en, 0)))
    size = province_heatmap_size(len(rows))
    fig = style.figure(size)
    ax = fig.add_subplot()
    image = _draw_heatmap(ax, p.T, low.T, high.T, labels or [t("no_provinces")],
                          [_wrap(l, 20) for _, _, l in rows] or [t("no_goals")])
    _colourbar(fig, image, ax, 0.6)
    ax.set_title(_wrap(t("heatmap_province_title"), int(8 * size[0]) // (2 if messages.language() == "zh" else 1)),
                 fontsize=11)
    return style.save(fig, path)


def threshold_axis(goal):
    """(x values per replicate, P(x) function, threshold, x description, x kind) from the stored margins, or None."""
    op, threshold = goal.comparison, goal.threshold
    margin = goal.margin[np.isfinite(goal.margin)]
    if margin.size == 0:
        return None  # not judged: dated after the run's end
    if goal.aggregation == "share_of_cities":
        x = margin + goal.share  # share of the cities meeting the city-level threshold
        return x, (lambda v: (x[:, None] >= v[None, :]).mean(axis=0)), goal.share, t("required_share"), "1"
    if op == "between":
        return (-margin, (lambda v: (margin[:, None] >= -v[None, :]).mean(axis=0)), 0.0,
                t("widening"), "indicator")
    if op == "below":
        x = threshold - margin  # the value compared (for `every`: the worst city's; for `by`: the best month's)
        return x, (lambda v: (x[:, None] <= v[None, :]).mean(axis=0)), threshold, t("threshold"), "indicator"
    x = threshold + margin
    return x, (lambda v: (x[:, None] >= v[None, :]).mean(axis=0)), threshold, t("threshold"), "indicator"


def threshold_curves_size(n_goals):
    rows = max(1, math.ceil(n_goals / 3))
    return (style.THRESHOLD_SIZE[0], style.THRESHOLD_SIZE[1] * rows)


def threshold_curves(runs, path):
    """One panel per goal name; each run holding that goal as one curve."""
    names = []
    for r in runs:
        for g in r.goals:
            if g.name not in names:
                names.append(g.name)
    fig = style.figure(threshold_curves_size(len(names)))
    ncols = min(3, max(len(names), 1))
    axes = np.atleast_1d(fig.subplots(max(1, math.ceil(len(names) / 3)), ncols)).ravel()
    for ax in axes[len(names):]:
        ax.axis("off")
    if not names:
        axes[0].text(0.5, 0.5, t("no_goals_defined"), ha="center", va="center", transform=axes[0].transAxes)
    for ax, name in zip(axes, names):
        ax.set_title(_wrap(name, 45))
        drawn = False
        for i, r in enumerate(runs):
            goal = next((g for g in r.goals if g.name == name), None)
            axis = threshold_axis(goal) if goal else None
            if axis is None:
                continue
            x, prob, plan, xlabel, kind = axis
            units = goal.unit if kind == "indicator" else "1"
            factor, unit = style.display_unit(units, x)
            if units == "1" and kind == "indicator" and goal.comparison == "between":
                unit = messages.unit("percentage_points")
            span = max(np.ptp(np.append(x, plan)), abs(plan) * 0.2, 1e-6)
            grid = np.linspace(min(x.min(), plan) - 0.6 * span, max(x.max(), plan) + 0.6 * span, 400)
            if goal.aggregation == "share_of_cities":
                grid = np.linspace(0.0, 1.0, 401)  # a share of cities
            p = prob(grid)
            lo, hi = wilson(p, len(x))
            colour, line = style.SCENARIO_COLOURS[i % len(style.SCENARIO_COLOURS)], ["-", "--", ":", "-."][i % 4]
            ax.fill_between(grid * factor, lo, hi, color=colour, alpha=0.18, linewidth=0)
            ax.plot(grid * factor, p, color=colour, linestyle=line, linewidth=1.8,
                    label=t("curve_label", label=r.label, n=len(x)))
            # Rug: the value each replicate compared with the threshold.
            ax.plot(x * factor, np.full(len(x), -0.015), "|", color=colour, markersize=8, alpha=0.6)
            at_plan = prob(np.array([plan]))[0]
            ax.axvline(plan * factor, color="0.3", linestyle="--", linewidth=1)
            ax.plot([plan * factor], [at_plan], "o", color=colour)
            # P crosses 50 % at the median of the compared values.
            text = t("curve_note", prefix=f"{r.label}: " if len(runs) > 1 else "", at=style.percent_label(at_plan),
                     median=f"{np.median(x) * factor:.3g}", unit=unit)
            ax.annotate(text, (0.02, 0.55 - 0.08 * i), xycoords="axes fraction", fontsize=8.5, color=colour,
                        bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.85))
            decreasing = p[0] > p[-1]
            legend_at = "lower left" if decreasing else "lower right"
            what = (t("threshold_on", indicator=messages.indicator_name(goal.indicator),
                      comparison=messages.comparison(goal.comparison)) if kind == "indicator" else xlabel)
            ax.set_xlabel(style.axis_label(what, unit))
            drawn = True
        if not drawn:
            ax.text(0.5, 0.5, t("not_judged_panel"), ha="center",
                    va="center", transform=ax.transAxes)
            continue
        ax.set_ylim(-0.04, 1.04)
        ax.set_ylabel(t("attainment_probability"))
        ax.yaxis.set_major_formatter(lambda v, _: f"{100 * v:.0f} %")
        ax.legend(loc=legend_at, fontsize=8)
    fig.suptitle(t("threshold_curves_title"), fontsize=12)
    return style.save(fig, path)
