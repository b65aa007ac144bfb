"""Event timeline: the scenario's policy windows above yearly counts from /events."""
import matplotlib
import numpy as np

from . import style
from .runfile import month_index

CLASS_NAMES = ["growing", "mature", "declining", "regenerating"]  # /events value of a reclassification
CLASS_COLOURS = ["#7fb3d5", "#f5b041", "#c0392b", "#27ae60"]
ONE_OFF_LEVERS = {"capacity_reduction", "industrial_park"}  # act once at when.from (scenarios/README)


def timeline_size(n_policies):
    return (style.TIMELINE_SIZE[0], style.TIMELINE_SIZE[1] + 0.25 * max(n_policies, 1))  # quarter inches


def _per_year(events, mask, years, n_reps, weights=None):
    """[replicate, year] totals of the masked events."""
    rep = events["replicate"][mask].astype(int)
    year = (events["month"][mask] // 12).astype(int) - (years[0] - 2013)
    ok = (year >= 0) & (year < len(years)) & (rep >= 0) & (rep < n_reps)
    w = None if weights is None else weights[mask][ok]
    counts = np.bincount(rep[ok] * len(years) + year[ok], weights=w, minlength=n_reps * len(years))
    return counts.reshape(n_reps, len(years))


def _bars(ax, years, table, colour, label=None, bottom=None):
    mean = table.mean(axis=0)
    lo, hi = np.percentile(table, [5, 95], axis=0)
    ax.bar(years + 0.5, mean, width=0.8, color=colour, bottom=bottom, label=label)
    if bottom is None:
        ax.errorbar(years + 0.5, mean, yerr=[mean - lo, hi - mean], fmt="none", ecolor="0.25",
                    elinewidth=0.8, capsize=2)
    return mean


def _policy_windows(run):
    """(name, start year, end year, lever, trigger text) from the resolved scenario."""
    end_month = month_index(run.horizon[1]) + 1
    out = []
    for p in run.scenario.get("policies", []) or []:
        when = p.get("when", {}) or {}
        start = month_index(when.get("from", "2013-01"))
        stop = month_index(when["to"]) + 1 if "to" in when else end_month
        trig = p.get("trigger")
        trig_text = ""
        if trig:
            side = "above" if "above" in trig else "below"
            trig_text = f" — on trigger: {trig.get('indicator')} {side} {trig.get(side)} for {trig.get('for_months', 1)} months"
        if start < end_month:
            out.append((p.get("name", "?"), 2013 + start / 12, 2013 + min(stop, end_month) / 12,
                        p.get("lever", ""), trig_text))
    return out


def timeline(run, path):
    events = run.events()
    windows = _policy_windows(run)
    fig = style.figure(timeline_size(len(windows)))
    grid = fig.add_gridspec(4, 2, height_ratios=[max(2.0, 0.25 * len(windows) + 0.5), 1.5, 1.5, 1.5])
    gantt = fig.add_subplot(grid[0, :])
    first_year, last_year = 2013, int(run.horizon[1][:4])
    years = np.arange(first_year, last_year + 1)

    levers = sorted({w[3] for w in windows})
    palette = matplotlib.colormaps["tab10"].colors + matplotlib.colormaps["Dark2"].colors
    lever_colour = {lv: palette[i % len(palette)] for i, lv in enumerate(levers)}
    for row, (name, a, b, lever, trig) in enumerate(windows):
        if lever in ONE_OFF_LEVERS:
            gantt.plot([a], [row], marker="D", markersize=8, color=lever_colour[lever], linestyle="")
        else:
            gantt.barh(row, b - a, left=a, height=0.6, color=lever_colour[lever], alpha=0.85,
                       hatch="//" if trig else None, edgecolor="0.2" if trig else "white")
    gantt.set_yticks(range(len(windows)), [f"{w[0]} [{w[3]}]" for w in windows], fontsize=8)
    gantt.set_ylim(len(windows) - 0.5, -0.5)
    gantt.set_xlim(first_year, last_year + 1)
    gantt.set_title(f"{run.label}: policy windows from the scenario [lever]; hatched: acts only when its "
                    "trigger fires; diamond: one-off action")
    if not levers:
        gantt.text(0.5, 0.5, "no policies", ha="center", va="center", transform=gantt.transAxes)

    axes = [fig.add_subplot(grid[1 + i // 2, i % 2], sharex=gantt) for i in range(6)]
    n_reps = len(run.replicates)
    if events is None:
        for ax in axes:
            ax.text(0.5, 0.5, "no /events in this file", ha="center", va="center", transform=ax.transAxes)
    else:
        code = {name: k for k, name in events["meanings"].items()}
        kind = events["kind"]

        def panel(ax, name, title, ylabel, weights=None, colour="#1f5fa8"):
            mask = kind == code.get(name, -1)
            table = _per_year(events, mask, years, n_reps, weights)
            _bars(ax, years, table, colour)
            ax.set_title(title)
            ax.set_ylabel(ylabel)
            if not mask.any():
                ax.text(0.5, 0.5, f"no {name.replace('_', ' ')} events", ha="center", va="center",
                        transform=ax.transAxes, color="0.4")
            return table

        panel(axes[0], "mine_closure", "Mine closures (reserve exhausted)", "closures per year")
        laid_off = panel(axes[1], "mine_closure", "Workers laid off at mine closures", "persons per year",
                         weights=events["value"], colour="#d2572b")
        if laid_off.max() >= 2e3:
            axes[1].yaxis.set_major_formatter(lambda v, _: f"{v / 1e3:.0f}")
            axes[1].set_ylabel("thousand persons per year")
        # Reclassifications stacked by the class a city moves to.
        mask = kind == code.get("reclassification", -1)
        bottom = np.zeros(len(years))
        for value, (cls, colour) in enumerate(zip(CLASS_NAMES, CLASS_COLOURS)):
            sub = mask & (np.round(events["value"]) == value)
            if sub.any():
                bottom += _bars(axes[2], years, _per_year(events, sub, years, n_reps), colour,
                                label=f"to {cls}", bottom=bottom.copy())
        axes[2].set_title("Reclassifications (by the new class)")
        axes[2].set_ylabel("cities per year")
        if mask.any():
            axes[2].set_ylim(0, max(bottom.max(), 1) * 1.6)  # headroom for the legend
            axes[2].legend(fontsize=8, loc="upper left", ncol=2)
        panel(axes[3], "discovery", "Reserve discoveries", "discoveries per year", colour="#2a8c4a")
        panel(axes[4], "policy", "Policy actions applied (one per city and action)", "actions per year",
              colour="#8b4fb0")
        # Triggers and park openings are both a few cities a year: side by side on one panel.
        for offset, (name, label, colour) in zip((-0.2, 0.2), (("trigger", "trigger firings", "#b08a1f"),
                                                              ("park_opening", "parks opening", "#2b9fb0"))):
            table = _per_year(events, kind == code.get(name, -1), years, n_reps)
            axes[5].bar(years + 0.5 + offset, table.mean(axis=0), width=0.4, color=colour,
                        label=f"{label} ({table.sum() / n_reps:.1f} per replicate)")
        axes[5].set_title("Trigger firings (as logged) and industrial parks opening")
        axes[5].set_ylabel("cities per year")
        axes[5].set_ylim(0, max(axes[5].get_ylim()[1], 1) * 1.7)  # headroom for the legend
        axes[5].legend(fontsize=8, loc="upper left")
    start_year = 2013 + month_index(run.horizon[0]) / 12
    for ax in [gantt] + axes:
        if start_year > first_year:
            ax.axvline(start_year, color="0.3", linestyle=":", linewidth=1)
    if start_year > first_year:
        gantt.annotate("reported output starts", (start_year, 1), xytext=(4, -4), textcoords="offset points",
                       fontsize=8, color="0.3", va="top", xycoords=("data", "axes fraction"))
    for ax in axes[4:]:
        ax.set_xlabel("year")
    fig.suptitle(f"Events per year: mean over {n_reps} replicates (bars), 5–95 % of replicates (whiskers)",
                 fontsize=12)
    return style.save(fig, path)
