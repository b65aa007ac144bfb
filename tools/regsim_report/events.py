"""Event timeline: the policies' windows above yearly counts from /events.

Policies are named from /policies (the event log's policy and trigger
entries hold their index there); their windows come from the run's
resolved scenario, which /policies does not repeat.

The x axis is in calendar years (2013.0 = 1 January 2013): counts are per
calendar year, so each year's label sits in the middle of its span and
grid lines mark the year boundaries.
"""
import math

import matplotlib
import numpy as np

from . import messages, style
from .messages import t
from .runfile import month_index

CLASS_NAMES = ["growing", "mature", "declining", "regenerating"]  # /events value of a reclassification
CLASS_COLOURS = ["#7fb3d5", "#f5b041", "#c0392b", "#27ae60"]
ONE_OFF_LEVERS = {"capacity_reduction", "industrial_park"}  # act once at when.from (scenarios/README)
# Distinct hues first (the dark half of tab20), then their light partners.
POLICY_COLOURS = matplotlib.colormaps["tab20"].colors[0::2] + matplotlib.colormaps["tab20"].colors[1::2]


# Inches per policy: a row of windows and a line in the legend of the actions.
GANTT_ROW, LEGEND_LINE = 0.25, 0.16


def timeline_size(n_policies):
    extra = math.ceil((GANTT_ROW + LEGEND_LINE) * max(n_policies, 1) * 4) / 4  # quarter inches: whole pixels
    return (style.TIMELINE_SIZE[0], style.TIMELINE_SIZE[1] + extra)


def _per_year(events, mask, years, n_reps, weights=None):
    """[replicate, year] totals of the masked events."""
    rep = events["replicate"][mask].astype(int)
    year = (events["month"][mask] // 12).astype(int) - (years[0] - 2013)
    ok = (year >= 0) & (year < len(years)) & (rep >= 0) & (rep < n_reps)
    w = None if weights is None else weights[mask][ok]
    counts = np.bincount(rep[ok] * len(years) + year[ok], weights=w, minlength=n_reps * len(years))
    return counts.reshape(n_reps, len(years))


def per_policy(events, kind, n_policies, years, n_reps):
    """[policy, replicate, year] counts of one kind of entry ('policy' or 'trigger') by its policy."""
    code = {name: k for k, name in events["meanings"].items()}.get(kind, -1)
    is_kind = events["kind"] == code
    counts = [_per_year(events, is_kind & (np.round(events["value"]) == p), years, n_reps) for p in range(n_policies)]
    return np.array(counts).reshape(n_policies, n_reps, len(years))  # the right shape even without policies


def _whiskers(ax, years, table):
    mean = table.mean(axis=0)
    lo, hi = np.percentile(table, [5, 95], axis=0)
    ax.errorbar(years + 0.5, mean, yerr=[mean - lo, hi - mean], fmt="none", ecolor="0.25",
                elinewidth=0.8, capsize=2)


def _bars(ax, years, table, colour, label=None, bottom=None):
    mean = table.mean(axis=0)
    ax.bar(years + 0.5, mean, width=0.8, color=colour, bottom=bottom, label=label)
    if bottom is None:
        _whiskers(ax, years, table)
    return mean


def _stacked_by_policy(ax, years, counts, policies, colours, what, empty=None, outside=False):
    """Bars stacked by policy, whiskers on the total; the legend (right of the axes if `outside`) names each
    policy that appears."""
    bottom = np.zeros(len(years))
    n_reps = counts.shape[1]
    for p, policy in enumerate(policies):
        if counts[p].any():
            mean = counts[p].mean(axis=0)
            ax.bar(years + 0.5, mean, width=0.8, bottom=bottom, color=colours[p],
                   label=t("legend_run_total", name=policy.name, total=f"{counts[p].sum() / n_reps:.4g}"))
            bottom += mean
    if not counts.any():
        ax.text(0.5, 0.5, empty or t("no_what", what=what), ha="center", va="center", transform=ax.transAxes, color="0.4",
                bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none"))
        return
    total = counts.sum(axis=0)
    _whiskers(ax, years, total)
    top = max(np.percentile(total, 95, axis=0).max(), 1)
    if outside:
        ax.set_ylim(0, top * 1.08)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False,
                  title=t("per_replicate_legend", what=what), title_fontsize=8)
    else:
        lines = sum(1 for c in counts if c.any()) + 1
        ax.set_ylim(0, top * (1.3 + 0.25 * lines))  # headroom for the legend
        ax.legend(loc="upper left", fontsize=8, title=t("per_replicate_legend", what=what), title_fontsize=8)


def calendar_axis(ax, first_year, last_year, max_labels):
    """Each year's label in the middle of its span, grid lines at 1 January."""
    span = last_year - first_year + 1
    step = next(s for s in (1, 2, 5, 10, 20, 50) if span / s <= max_labels)
    labelled = [y for y in range(first_year, last_year + 1) if y % step == 0]
    ax.set_xticks([y + 0.5 for y in labelled], [str(y) for y in labelled])
    ax.set_xticks(range(first_year, last_year + 2), minor=True)
    ax.tick_params(axis="x", which="major", length=0)
    ax.grid(False, axis="x", which="major")
    ax.grid(True, axis="x", which="minor", alpha=0.3)
    ax.set_xlim(first_year, last_year + 1)


def policy_windows(run):
    """[(policy, start, end, trigger text)] along /policies; start and end in years (2014.0 = 2014-01), None when
    the policy's window begins after the run. Read from the file's description of its policies."""
    end_month = month_index(run.horizon[1]) + 1
    out = []
    for policy in run.policies:
        start = month_index(policy.start)
        stop = month_index(policy.end) + 1 if policy.end else end_month
        text = ""
        if policy.trigger_indicator:
            text = t("trigger_text", indicator=messages.indicator_name(policy.trigger_indicator),
                     side=messages.comparison(policy.trigger_comparison), value=f"{policy.trigger_threshold:g}",
                     months=policy.trigger_months)
        if start >= end_month:
            start = stop = None  # begins after the run
        out.append((policy, None if start is None else 2013 + start / 12,
                    None if stop is None else 2013 + min(stop, end_month) / 12, text))
    return out


def timeline(run, path):
    events = run.events()
    windows = policy_windows(run)
    policies = run.policies
    colours = [POLICY_COLOURS[i % len(POLICY_COLOURS)] for i in range(len(policies))]
    n = len(policies)
    fig = style.figure(timeline_size(n))
    grid = fig.add_gridspec(5, 2, height_ratios=[max(GANTT_ROW * n + 0.5, 1.0), max(LEGEND_LINE * n + 0.8, 1.8),
                                                 1.5, 1.5, 1.5])
    gantt = fig.add_subplot(grid[0, :])
    first_year, last_year = 2013, int(run.horizon[1][:4])
    years = np.arange(first_year, last_year + 1)

    for row, (policy, a, b, trigger) in enumerate(windows):
        if a is None:
            gantt.text(first_year + 0.1, row, t("window_not_in_run"), va="center", fontsize=8, color="0.4")
        elif policy.lever in ONE_OFF_LEVERS:
            gantt.plot([a + 1 / 24], [row], marker="D", markersize=8, color=colours[row], linestyle="")
        else:
            gantt.barh(row, b - a, left=a, height=0.6, color=colours[row], alpha=0.9,
                       hatch="//" if trigger else None, edgecolor="0.2" if trigger else "white")
            if trigger:
                gantt.annotate(t("on_trigger", trigger=trigger), (a, row), xytext=(3, 0), textcoords="offset points",
                               va="center", fontsize=7.5,
                               bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.8))
    gantt.set_yticks(range(len(windows)), [t("policy_row", name=p.name, lever=messages.lever(p.lever))
                                           for p, *_ in windows], fontsize=8)
    gantt.set_ylim(max(len(windows), 1) - 0.5, -0.5)
    gantt.set_title(t("timeline_title", label=run.label))
    if not policies:
        gantt.text(0.5, 0.5, t("no_policies"), ha="center", va="center", transform=gantt.transAxes)

    actions = fig.add_subplot(grid[1, :], sharex=gantt)
    axes = [fig.add_subplot(grid[2 + i // 2, i % 2], sharex=gantt) for i in range(6)]
    n_reps = len(run.replicates)
    if events is None:
        for ax in [actions] + axes:
            ax.text(0.5, 0.5, t("no_events_file"), ha="center", va="center", transform=ax.transAxes)
    else:
        code = {name: k for k, name in events["meanings"].items()}
        kind = events["kind"]

        def panel(ax, name, what, title, ylabel, weights=None, colour="#1f5fa8"):
            mask = kind == code.get(name, -1)
            table = _per_year(events, mask, years, n_reps, weights)
            _bars(ax, years, table, colour)
            ax.set_title(title)
            ax.set_ylabel(ylabel)
            if not mask.any():
                ax.text(0.5, 0.5, t("no_events_of", what=what), ha="center", va="center",
                        transform=ax.transAxes, color="0.4")
            return table

        _stacked_by_policy(actions, years, per_policy(events, "policy", n, years, n_reps),
                           policies, colours, t("actions"), outside=True)
        actions.set_title(t("actions_title"))
        actions.set_ylabel(t("actions_per_year"))
        closure = t("mine_closure_events")
        panel(axes[0], "mine_closure", closure, t("closures_title"), t("closures_per_year"))
        laid_off = panel(axes[1], "mine_closure", closure, t("laid_off_title"), t("persons_per_year"),
                         weights=events["value"], colour="#d2572b")
        # Thousands in English, 万 (ten thousand) in Chinese.
        scale = 1e4 if messages.language() == "zh" else 1e3
        if laid_off.max() >= 2 * scale:
            axes[1].yaxis.set_major_formatter(lambda v, _: f"{v / scale:.0f}")
            axes[1].set_ylabel(t("ten_thousands_per_year" if scale == 1e4 else "thousands_per_year"))
        # Reclassifications stacked by the class a city moves to.
        mask = kind == code.get("reclassification", -1)
        bottom = np.zeros(len(years))
        for value, (cls, colour) in enumerate(zip(CLASS_NAMES, CLASS_COLOURS)):
            sub = mask & (np.round(events["value"]) == value)
            if sub.any():
                bottom += _bars(axes[2], years, _per_year(events, sub, years, n_reps), colour,
                                label=t("reclassified_to", category=messages.category(cls)), bottom=bottom.copy())
        axes[2].set_title(t("reclassifications_title"))
        axes[2].set_ylabel(t("cities_per_year"))
        if mask.any():
            axes[2].set_ylim(0, max(bottom.max(), 1) * 1.6)  # headroom for the legend
            axes[2].legend(fontsize=8, loc="upper left", ncol=2)
        panel(axes[3], "discovery", t("discovery_events"), t("discoveries_title"), t("discoveries_per_year"),
              colour="#2a8c4a")
        _stacked_by_policy(axes[4], years, per_policy(events, "trigger", n, years, n_reps),
                           policies, colours, t("trigger_firings"),
                           empty=None if any(trigger for *_, trigger in windows) else t("no_trigger_policy"))
        axes[4].set_title(t("triggers_title"))
        axes[4].set_ylabel(t("cities_per_year"))
        panel(axes[5], "park_opening", t("park_opening_events"), t("parks_title"), t("parks_per_year"),
              colour="#2b9fb0")
    start_year = 2013 + month_index(run.horizon[0]) / 12
    for ax in [gantt, actions] + axes:
        calendar_axis(ax, first_year, last_year, 16 if ax in (gantt, actions) else 7)
        if start_year > first_year:
            ax.axvline(start_year, color="0.3", linestyle=":", linewidth=1)
    if start_year > first_year:
        gantt.annotate(t("reported_output_starts"), (start_year, 1), xytext=(4, -4), textcoords="offset points",
                       fontsize=8, color="0.3", va="top", xycoords=("data", "axes fraction"))
    for ax in axes[4:]:
        ax.set_xlabel(t("year"))
    fig.suptitle(t("events_title", n=n_reps), fontsize=12)
    return style.save(fig, path)
