"""The Sensitivity section: the indices `regsim sensitivity` wrote under /sensitivity (README "Sensitivity").

Sobol runs: per goal, S1 and ST of each uncertainty with their 90 % bootstrap intervals, and ST year by year for
the indicator analysed over time. Morris runs: mu* and sigma per uncertainty, and mu* year by year.
"""
import math

import numpy as np

from . import messages, style
from .messages import t
from .page import esc
from .runfile import attr_text

PANEL_SIZE = (6.0, 3.5)  # inches per panel; whole quarter inches (style.py)
OVER_TIME_SIZE = (12.0, 5.5)


def _text(values):
    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]


def read(run):
    """The /sensitivity group of an open RunFile as a dict, or None if the file has none."""
    f = run.h5
    if "sensitivity" not in f:
        return None
    g = f["sensitivity"]
    method = attr_text(g.attrs["method"])
    names = ["first_order", "first_order_low", "first_order_high", "total_order", "total_order_low",
             "total_order_high"] if method == "sobol" else ["mu_star", "mu", "sigma"]
    out = {"method": method, "factors": _text(g["factor"][()]), "outputs": _text(g["output"][()]),
           "kinds": _text(g["output_kind"][()]), "subjects": _text(g["output_subject"][()]),
           "values": {n: g[n][()] for n in names}, "over_time": None}
    if "over_time" in g:
        o = g["over_time"]
        out["over_time"] = {"indicator": attr_text(o.attrs["indicator"]), "group": attr_text(o.attrs["group"]),
                            "dates": o["year"][()].astype("timedelta64[D]") + np.datetime64("2013-01-01"),
                            "values": {n: o[n][()] for n in names}}
    return out


def goal_outputs(s):
    """Rows of /sensitivity that are goals, with finite indices: [(row, title)]."""
    key = "total_order" if s["method"] == "sobol" else "mu_star"
    rows = []
    for i, (kind, subject) in enumerate(zip(s["kinds"], s["subjects"])):
        if kind in ("goal_met", "goal_margin") and np.isfinite(s["values"][key][i]).any():
            rows.append((i, t("sens_" + kind, goal=subject)))
    return rows


def _bars(ax, s, row):
    """Horizontal bars per factor, largest ST (or mu*) on top."""
    v = s["values"]
    sobol = s["method"] == "sobol"
    main = v["total_order" if sobol else "mu_star"][row]
    order = np.argsort(np.where(np.isfinite(main), main, -np.inf))
    y = np.arange(len(order))
    if sobol:
        for shift, name, colour, label in ((0.2, "total_order", "#1f5fa8", t("sens_st")),
                                           (-0.2, "first_order", "#d2572b", t("sens_s1"))):
            value = v[name][row][order]
            err = np.abs(np.vstack([value - v[name + "_low"][row][order], v[name + "_high"][row][order] - value]))
            ax.barh(y + shift, value, height=0.38, color=colour, label=label,
                    xerr=err, error_kw={"elinewidth": 1, "capsize": 2})
        ax.axvline(0, color="0.3", linewidth=0.8)
        ax.set_xlabel(t("sens_index_axis"))
    else:
        ax.barh(y + 0.2, v["mu_star"][row][order], height=0.38, color="#1f5fa8", label=t("sens_mu_star"))
        ax.barh(y - 0.2, v["sigma"][row][order], height=0.38, color="#d2572b", label=t("sens_sigma"))
        ax.set_xlabel(t("sens_effect_axis"))
    ax.set_yticks(y, [s["factors"][i] for i in order], fontsize=8)


def goal_chart(s, path):
    """One panel per goal output (met, margin) with finite indices."""
    rows = goal_outputs(s)
    ncols = 2 if len(rows) > 1 else 1
    nrows = max(1, math.ceil(len(rows) / ncols))
    fig = style.figure((PANEL_SIZE[0] * ncols, PANEL_SIZE[1] * nrows))
    axes = np.atleast_1d(fig.subplots(nrows, ncols)).ravel()
    for ax in axes[len(rows):]:
        ax.axis("off")
    if not rows:
        axes[0].text(0.5, 0.5, t("sens_no_goal"), ha="center", va="center", transform=axes[0].transAxes)
    for ax, (row, title) in zip(axes, rows):
        _bars(ax, s, row)
        ax.set_title(title, fontsize=10)
        ax.legend(loc="lower right", fontsize=8)
    fig.suptitle(t("sens_goal_title"), fontsize=12)
    return style.save(fig, path)


def over_time_chart(s, path, provinces_zh=None):
    """ST (or mu*) of each factor by year, with the 90 % interval as a band (Sobol)."""
    o = s["over_time"]
    sobol = s["method"] == "sobol"
    key = "total_order" if sobol else "mu_star"
    fig = style.figure(OVER_TIME_SIZE)
    ax = fig.subplots()
    dates = o["dates"].astype("datetime64[M]")
    for i, factor in enumerate(s["factors"]):
        colour = style.SCENARIO_COLOURS[i % len(style.SCENARIO_COLOURS)]
        line = ["-", "--", ":", "-."][(i // len(style.SCENARIO_COLOURS)) % 4]
        ax.plot(dates, o["values"][key][:, i], color=colour, linestyle=line, marker="o", markersize=3,
                label=factor)
        if sobol:
            ax.fill_between(dates, o["values"]["total_order_low"][:, i], o["values"]["total_order_high"][:, i],
                            color=colour, alpha=0.12, linewidth=0)
    style.year_axis(ax, dates)
    ax.set_ylabel(t("sens_st_axis") if sobol else t("sens_mu_star_axis"))
    ax.set_title(t("sens_over_time_title", indicator=messages.indicator(o["indicator"]),
                   group=messages.group(o["group"], provinces_zh)))
    ax.legend(loc="upper left", fontsize=8, ncols=2)
    return style.save(fig, path)


def section(page, runs, slugs, out):
    """The page's Sensitivity section and its charts, for the runs whose file holds /sensitivity."""
    found = [(r, s, read(r)) for r, s in zip(runs, slugs)]
    found = [(r, slug, s) for r, slug, s in found if s is not None]
    if not found:
        return []
    charts = []
    page.section("sensitivity", t("section_sensitivity"))
    for r, slug, s in found:
        sobol = s["method"] == "sobol"
        page.add(f"<h3>{esc(r.label)}</h3>")
        page.paragraph(t("sens_intro_sobol" if sobol else "sens_intro_morris"))
        name = goal_chart(s, out / f"sensitivity-goals-{slug}.png")
        charts.append(name)
        page.figure(name, t("sens_goal_caption_sobol" if sobol else "sens_goal_caption_morris"))
        if s["over_time"] is not None:
            name = over_time_chart(s, out / f"sensitivity-over-time-{slug}.png", r.provinces_zh)
            charts.append(name)
            page.figure(name, t("sens_over_time_caption_sobol" if sobol else "sens_over_time_caption_morris"))
    return charts
