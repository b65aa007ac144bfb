"""The goal ledger: attainment by category and province, and threshold curves.

/goals holds each goal's result per replicate for the goal's own cities
only. Attainment per category or province is recomputed here with the
engine's rule (compile.cpp `margin_at`): the goal's test applied to the
goal's cities within each group, on the reported months of the output.
"""
import math
import textwrap

import numpy as np

from . import style
from .runfile import month_index

# Ratio indicators are aggregated as ratios of sums (README "The model").
RATIOS = {
    "unemployment_rate": ("unemployed", "labour_force"),
    "restoration_rate": ("restored_land", "degraded_land"),
    "replacement_share": ("replacement_va", "gdp"),
    "resource_dependence": ("resource_va", "gdp"),
    "exhaustion_fraction": ("cumulative_extraction", "ultimate_resource"),
    "reserve_to_production": ("reserve", "production"),
}
Z90 = 1.6448536269514722  # two-sided 90 % normal quantile, as the engine's Wilson intervals


def wilson(p, n, z=Z90):
    """90 % Wilson interval for a share p of n (arrays allowed)."""
    p = np.asarray(p, dtype=float)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


# -- which cities a goal covers ------------------------------------------------

def _names(value):
    return [str(v) for v in (value if isinstance(value, list) else [value])]


def selection(run, where):
    """Boolean mask of the cities a `where:` selector picks (scenarios/README "Selectors"), or None if unknown."""
    c = run.cities
    n = len(c["id"])
    mask = np.ones(n, dtype=bool)
    if where in (None, "all"):
        return mask
    if not isinstance(where, dict):
        return None
    columns = {"category": "category_2013", "resource": "primary_resource", "admin_level": "admin_level",
               "macro_region": "macro_region"}
    for key, value in where.items():
        wanted = _names(value)
        if key in columns and columns[key] in c:
            mask &= np.isin(c[columns[key]], wanted)
        elif key == "province" and "province_en" in c:
            en = np.char.lower(c["province_en"].astype(str))
            zh = c.get("province_zh", c["province_en"]).astype(str)
            hit = np.zeros(n, dtype=bool)
            for w in wanted:
                hit |= (en == w.lower()) | np.char.startswith(zh, w)
            mask &= hit
        elif key == "exhausted" and "exhausted_batch" in c:
            batch = c["exhausted_batch"]
            flag = str(value).lower()  # YAML reads yes/no as booleans
            if isinstance(value, bool):
                mask &= (batch > 0) == value
            elif flag in ("yes", "true"):
                mask &= batch > 0
            elif flag in ("no", "false"):
                mask &= batch == 0
            else:
                mask &= np.isin(batch, [int(v) for v in _names(value)])
        elif key in ("cities", "id"):
            hit = np.zeros(n, dtype=bool)
            for w in wanted:
                if w.isdigit():
                    hit |= c["id"] == int(w)
                else:
                    hit |= np.char.startswith(c.get("city_name_zh", np.array([""] * n)).astype(str), w)
                    hit |= np.char.lower(c.get("city_name_en", np.array([""] * n)).astype(str)) == w.lower()
            mask &= hit
        else:
            return None
    return mask


# -- the goal's test on a group ------------------------------------------------

def _margin(op, threshold, value):
    if op == "below":
        return threshold - value
    if op == "above":
        return value - threshold
    lo, hi = threshold
    return np.minimum(value - lo, hi - value)


def goal_times(run, goal):
    """Indices into run.months the goal is judged on (None if it cannot be judged on this output)."""
    mode, month = goal.month
    if mode == "at":
        idx = np.flatnonzero(run.months == month)
    elif mode == "by":
        start = month_index(run.horizon[0])
        idx = np.flatnonzero((run.months >= start) & (run.months <= month))
    else:
        return None
    return idx if idx.size else None


class GroupJudge:
    """Judges one goal on any group of cities; reads each dataset once."""

    def __init__(self, run, goal):
        self.run, self.goal = run, goal
        self.op, self.threshold = goal.comparison
        self.times = goal_times(run, goal)
        self.cities = selection(run, goal.definition.get("where"))
        self.why_not = None
        ind = goal.indicator
        if self.op is None or ind is None:
            self.why_not = "goal definition not found in the file's scenario"
        elif self.times is None:
            self.why_not = "the goal's month is not among the reported months"
        elif self.cities is None:
            self.why_not = "selector not understood by the report"
        self.from_aggregates = (self.why_not is None and self.cities.all() and goal.aggregation == "sum"
                                and ind in run.indicators)
        self._city_data = None
        if self.why_not is None and not self.from_aggregates:
            needed = RATIOS.get(ind, (ind,)) if goal.aggregation == "sum" else (ind,)
            if not all(run.has_trajectories(n) for n in needed):
                self.why_not = "needs per-city trajectories, which this file does not keep"
            else:
                self._city_data = [run.trajectories(n, time=self.times) for n in needed]

    @property
    def replicates_used(self):
        if self.why_not:
            return 0
        return len(self.run.replicates) if self.from_aggregates else self._city_data[0].shape[0]

    @property
    def source(self):
        if self.why_not:
            return self.why_not
        if self.from_aggregates:
            return f"/aggregates, all {self.replicates_used} replicates"
        return f"/trajectories, the {self.replicates_used} replicates kept per city"

    def margins(self, group):
        """Per-replicate margin in the group (best month for `by`), or None (empty group, not computable)."""
        if self.why_not:
            return None
        if self.from_aggregates:
            if group not in self.run.group_index:
                return None
            value = self.run.aggregate(self.goal.indicator, groups=[group])[:, 0, :][:, self.times]
            margin = _margin(self.op, self.threshold, value)
        else:
            members = self.run.members(group)
            if members is None:
                return None
            mask = members & self.cities
            if not mask.any():
                return None
            margin = self._margins(mask)
        return margin[:, 0] if self.goal.month[0] == "at" else np.nanmax(margin, axis=1)

    def met(self, group):
        """Per-replicate attainment in the group (bool array), or None."""
        margin = self.margins(group)
        if margin is None:
            return None
        with np.errstate(invalid="ignore"):
            return margin >= 0

    def compared(self, margin):
        """The value the goal compares with its threshold, back from margins (None for `between`)."""
        if self.goal.aggregation == "share_of_cities":
            return margin + float(self.goal.definition.get("share", 1.0))
        if self.op == "below":
            return self.threshold - margin
        if self.op == "above":
            return self.threshold + margin
        return None

    def _margins(self, mask):
        data = [d[:, mask, :] for d in self._city_data]  # [replicate, city, time]
        agg = self.goal.aggregation
        if agg == "sum":
            value = data[0].sum(axis=1) / data[1].sum(axis=1) if len(data) == 2 else data[0].sum(axis=1)
            return _margin(self.op, self.threshold, value)
        city_margin = _margin(self.op, self.threshold, data[0])
        if agg == "mean":
            return _margin(self.op, self.threshold, data[0].mean(axis=1))
        if agg == "every":
            return city_margin.min(axis=1)
        return (city_margin >= 0).mean(axis=1) - float(self.goal.definition.get("share", 1.0))


def goal_rows(runs):
    """[(run, goal, label)] for every goal of every run, in file order."""
    many = len(runs) > 1
    return [(r, g, f"{r.label}: {g.name}" if many else g.name) for r in runs for g in r.goals]


# -- charts --------------------------------------------------------------------

def _draw_heatmap(ax, values, row_labels, col_labels, details=None):
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
            text = "–" if not np.isfinite(v) else style.percent_label(v)
            if details is not None and details[i][j]:
                text += "\n" + details[i][j]
            ax.text(j, i, text, ha="center", va="center", fontsize=8.5,
                    color="black" if not np.isfinite(v) or 0.25 < v < 0.85 else "white")
    return image


def _median_text(judge, margin):
    """Median of the compared value, in display units, e.g. '49.7 %'."""
    value = judge.compared(margin[np.isfinite(margin)])
    if value is None or not value.size:
        return ""
    units = "1" if judge.goal.aggregation == "share_of_cities" else judge.run.units(judge.goal.indicator)
    factor, unit = style.display_unit(units, value)
    v = float(np.median(value)) * factor
    return f"median {v:.1f} {unit}" if abs(v) >= 10 else f"median {v:.2f} {unit}"


def _judge_cells(judge, groups):
    """(attainment per group, median-value text per group)."""
    shares, texts = [], []
    for g in groups:
        margin = judge.margins(g)
        if margin is None or not margin.size:
            shares.append(np.nan)
            texts.append("")
        else:
            with np.errstate(invalid="ignore"):
                shares.append(float((margin >= 0).mean()))
            texts.append(_median_text(judge, margin))
    return shares, texts


def category_heatmap_size(n_rows):
    return (style.HEATMAP_CATEGORY_SIZE[0], 2.5 + 0.5 * max(n_rows, 1))  # quarter inches: whole pixels


def province_heatmap_size(n_cols):
    return (3.5 + 1.75 * max(n_cols, 1), style.HEATMAP_PROVINCE_SIZE[1])


def _wrap(text, width=22):
    return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text


def category_heatmap(runs, path):
    """Rows: goals; columns: the engine's probability, then nation and the 2013 categories."""
    rows = goal_rows(runs)
    groups = ["nation:all"] + [f"category:{c}" for c in style.CATEGORY_ORDER]
    values = np.full((max(len(rows), 1), len(groups) + 1), np.nan)
    details = [[""] * (len(groups) + 1) for _ in range(max(len(rows), 1))]
    notes = []
    for i, (run, goal, label) in enumerate(rows):
        values[i, 0] = goal.probability
        judge = GroupJudge(run, goal)
        notes.append(f"{label}: {judge.source}")
        if np.isfinite(goal.margin).any():
            details[i][0] = _median_text(judge, goal.margin)
        shares, texts = _judge_cells(judge, groups)
        values[i, 1:] = shares
        details[i][1:] = texts
    fig = style.figure(category_heatmap_size(len(rows)))
    ax = fig.add_subplot()
    cols = ["as defined\n(/goals/probability)", "all cities\nof the run"] + [f"{c}\n(2013 class)" for c in style.CATEGORY_ORDER]
    image = _draw_heatmap(ax, values, [_wrap(l, 40) for _, _, l in rows] or ["(no goals)"], cols, details)
    ax.axvline(0.5, color="white", linewidth=4)
    fig.colorbar(image, ax=ax, label="P(attained)", shrink=0.9,
                 format=lambda x, _: f"{100 * x:.0f} %")
    ax.set_title("Goal attainment by 2013 category: the goal's test on the goal's cities within each group")
    return style.save(fig, path), notes


def province_heatmap(runs, path):
    """Rows: provinces (Chinese and English); columns: goals."""
    rows = goal_rows(runs)
    provinces = []
    for r in runs:
        for g in r.groups_of_kind("province"):
            if g not in provinces:
                provinces.append(g)
    zh = {}
    for r in runs:
        if "province_zh" in r.cities:
            zh.update(dict(zip(r.cities["province_en"], r.cities["province_zh"])))
    provinces.sort(key=lambda g: g.split(":", 1)[1])
    values = np.full((max(len(provinces), 1), max(len(rows), 1)), np.nan)
    details = [[""] * values.shape[1] for _ in range(values.shape[0])]
    for j, (run, goal, _) in enumerate(rows):
        shares, texts = _judge_cells(GroupJudge(run, goal), provinces)
        for i in range(len(provinces)):
            values[i, j], details[i][j] = shares[i], texts[i]
    labels = []
    for p in provinces:
        en = p.split(":", 1)[1]
        count = max(int(r.members(p).sum()) for r in runs if r.members(p) is not None)
        labels.append(f"{zh.get(en, '') + ' ' if style.has_cjk() else ''}{en} ({count})")
    fig = style.figure(province_heatmap_size(len(rows)))
    ax = fig.add_subplot()
    image = _draw_heatmap(ax, values, labels or ["(no provinces)"], [_wrap(l, 20) for _, _, l in rows] or ["(no goals)"],
                          details)
    fig.colorbar(image, ax=ax, label="probability of attainment", shrink=0.6, format=lambda x, _: f"{100 * x:.0f} %")
    ax.set_title("Goal attainment by province (cities of the run)\nthe goal's cities in each province; – : none",
                 fontsize=11)
    return style.save(fig, path)


def threshold_axis(goal):
    """(x values per replicate, P(x) function, x description) from the stored margins, or None."""
    op, threshold = goal.comparison
    margin = goal.margin[np.isfinite(goal.margin)]
    if op is None or margin.size == 0:
        return None
    if goal.aggregation == "share_of_cities":
        share = float(goal.definition.get("share", 1.0))
        x = margin + share  # share of the cities meeting the city-level threshold
        return x, (lambda t: (x[:, None] >= t[None, :]).mean(axis=0)), share, "required share of the cities", "1"
    if op == "between":
        return (-margin, (lambda t: (margin[:, None] >= -t[None, :]).mean(axis=0)), 0.0,
                "widening of both bounds", "indicator")
    if op == "below":
        x = threshold - margin  # the value compared (for `every`: the worst city's; for `by`: the best month's)
        return x, (lambda t: (x[:, None] <= t[None, :]).mean(axis=0)), threshold, "threshold", "indicator"
    x = threshold + margin
    return x, (lambda t: (x[:, None] >= t[None, :]).mean(axis=0)), threshold, "threshold", "indicator"


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
        axes[0].text(0.5, 0.5, "the runs define no goals", ha="center", va="center", transform=axes[0].transAxes)
    for ax, name in zip(axes, names):
        ax.set_title(_wrap(name, 45))
        drawn = False
        for i, r in enumerate(runs):
            goal = next((g for g in r.goals if g.name == name), None)
            axis = threshold_axis(goal) if goal else None
            if axis is None:
                continue
            x, prob, plan, xlabel, kind = axis
            units = r.units(goal.indicator) if kind == "indicator" and goal.indicator in r.indicators else "1"
            factor, unit = style.display_unit(units, x)
            if units == "1" and kind == "indicator" and goal.comparison[0] == "between":
                unit = "percentage points"
            span = max(np.ptp(np.append(x, plan)), abs(plan) * 0.2, 1e-6)
            grid = np.linspace(min(x.min(), plan) - 0.6 * span, max(x.max(), plan) + 0.6 * span, 400)
            if goal.aggregation == "share_of_cities":
                grid = np.linspace(0.0, 1.0, 401)  # a share of cities
            p = prob(grid)
            lo, hi = wilson(p, len(x))
            colour, line = style.SCENARIO_COLOURS[i % len(style.SCENARIO_COLOURS)], ["-", "--", ":", "-."][i % 4]
            ax.fill_between(grid * factor, lo, hi, color=colour, alpha=0.18, linewidth=0)
            ax.plot(grid * factor, p, color=colour, linestyle=line, linewidth=1.8,
                    label=f"{r.label} ({len(x)} replicates)")
            # Rug: the value each replicate compared with the threshold.
            ax.plot(x * factor, np.full(len(x), -0.015), "|", color=colour, markersize=8, alpha=0.6)
            at_plan = prob(np.array([plan]))[0]
            ax.axvline(plan * factor, color="0.3", linestyle="--", linewidth=1)
            ax.plot([plan * factor], [at_plan], "o", color=colour)
            # P crosses 50 % at the median of the compared values.
            text = (f"{r.label + ': ' if len(runs) > 1 else ''}{style.percent_label(at_plan)} at the threshold; "
                    f"50 % at {np.median(x) * factor:.3g} {unit}")
            ax.annotate(text, (0.02, 0.55 - 0.08 * i), xycoords="axes fraction", fontsize=8.5, color=colour,
                        bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.85))
            decreasing = p[0] > p[-1]
            legend_at = "lower left" if decreasing else "lower right"
            what = f"threshold on {goal.indicator}" if kind == "indicator" else xlabel
            ax.set_xlabel(style.axis_label(f"{what} (goal: {goal.comparison[0]})" if kind == "indicator" else what,
                                           unit))
            drawn = True
        if not drawn:
            ax.text(0.5, 0.5, "not judged in these runs\n(dated after the run's end)", ha="center",
                    va="center", transform=ax.transAxes)
            continue
        ax.set_ylim(-0.04, 1.04)
        ax.set_ylabel("probability of attainment")
        ax.yaxis.set_major_formatter(lambda v, _: f"{100 * v:.0f} %")
        ax.legend(loc=legend_at, fontsize=8)
    fig.suptitle("Threshold curves: probability of attainment as the goal's threshold moves "
                 "(from /goals/margin; band: 90 % Wilson interval)", fontsize=12)
    return style.save(fig, path)
