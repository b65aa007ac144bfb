"""Builds the report: every chart as a PNG in the output directory, and index.html linking them."""
import datetime
import pathlib
import re

import numpy as np

from . import data, discovery, events, fan, geo, goals, style
from .page import Page, esc


def slug(text):
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", str(text)).strip("-") or "run"


def run_slugs(runs):
    """A file-name stem per run, unique even if two files hold the same scenario."""
    out, seen = [], {}
    for r in runs:
        s = slug(r.label)
        seen[s] = seen.get(s, 0) + 1
        out.append(s if seen[s] == 1 else f"{s}-{seen[s]}")
    return out


def _number(v):
    """Three significant digits, trailing zeros kept: 4.00, 31.1, 401, 5,895."""
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:#.3g}".rstrip(".")


def _fmt(value, units, difference=False):
    """A value in readable units: '4.14 %', '401 thousand persons'; differences of ratios in pp."""
    if not np.isfinite(value):
        return "–"
    factor, unit = style.display_unit(units, [value])
    if difference and units == "1":
        unit = "pp"
    return f"{_number(value * factor)} {unit}"


def _fmt_range(lo, hi, units):
    factor, unit = style.display_unit(units, [lo, hi])
    return f"{_number(lo * factor)} – {_number(hi * factor)} {unit}"


def _headline_rows(runs):
    rows = []
    for ind in style.KEY_INDICATORS:
        for r in runs:
            if ind not in r.indicators or "nation:all" not in r.group_index:
                continue
            data = r.aggregate(ind, groups=["nation:all"])[:, 0, :]
            units = r.units(ind)
            first, last = fan.bands(data[:, :1]), fan.bands(data[:, -1:])
            rows.append((style.TITLES[ind], r.label,
                         f"{r.dates[0]}: {_fmt(first['p50'][0], units)}",
                         f"{r.dates[-1]}: {_fmt(last['p50'][0], units)}",
                         _fmt_range(last["p05"][0], last["p95"][0], units)))
    return rows


def _runs_section(page, runs):
    page.section("runs", "Runs")
    rows = []
    for r in runs:
        exp = r.scenario.get("experiment", {}) or {}
        start, end = r.horizon
        rows.append((r.path.name, r.label, r.scenario.get("description", ""), f"{start} .. {end}",
                     len(r.replicates), r.seed, exp.get("sampling", "monte_carlo"),
                     f"{r.attrs.get('regsim_version', '?')} ({r.attrs.get('git_revision', '?')})",
                     r.attrs.get("created", ""),
                     ", ".join(discovery.label(n, u) for n, u in zip(r.uncertainty_names, r.uncertainty_units))
                     or "none"))
    page.table(["file", "scenario", "description", "reported months", "replicates", "seed", "sampling",
                "regsim (revision)", "created", "sampled uncertainties (unit)"], rows, numeric=(4, 5))
    page.paragraph("Every run simulates from the 2013 seeds; horizon.start only marks where reported output "
                   "begins. Times are the month each value describes (December for annual output).", "note")


def build(runs, out_dir, map_indicator="unemployment_rate", targets_path=None):
    """Write every chart and index.html into out_dir; returns the list of chart file names."""
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    style.setup()
    slugs = run_slugs(runs)
    charts = []
    names = ", ".join(r.label for r in runs)
    page = Page(f"regsim report: {names}")
    _runs_section(page, runs)

    # Key indicators.
    page.section("indicators", "Key indicators")
    page.paragraph("National totals (all cities of the run) and the four 2013 plan categories. Line: median "
                   "over replicates; dark band: 25–75 % of replicates; light band: 5–95 %. Annual values describe "
                   "December, so on charts of annual output each year's tick stands on its December (the value "
                   "labelled 2035 is December 2035); charts with monthly output tick 1 January."
                   + (" Several scenarios are overlaid on the same axes, each in its own colour." if len(runs) > 1 else ""))
    page.table(["indicator", "scenario", "first reported (median)", "last reported (median)",
                "last reported, 5–95 % of replicates"], _headline_rows(runs))
    for ind in style.KEY_INDICATORS:
        name = fan.fan_chart(runs, ind, out / f"fan-{ind}.png")
        if name:
            charts.append(name)
            r = next(r for r in runs if ind in r.indicators)
            page.figure(name, f"{style.TITLES[ind]} — {r.long_name(ind)} (stored in units of "
                              f"'{r.units(ind)}'; the axes say how they are shown).")

    # Model vs data.
    path = pathlib.Path(targets_path) if targets_path else data.DEFAULT_TARGETS
    if targets_path or path.is_file():  # a missing default is skipped, a missing --targets is an error
        targets = data.load_targets(path)
        name = data.model_vs_data(runs, targets, out / "model-vs-data.png")
        page.section("data", "Model vs data")
        if name:
            charts.append(name)
            shown = sum(len(v) for v in data.drawable(runs, targets).values())
            page.figure(name, f"{shown} of the {len(targets)} observations of {path.name} that the runs' "
                              "aggregates can be held to (a target whose cities are not one group of the run, "
                              "or whose date lies outside it, is not drawn; `regsim calibrate` evaluates them "
                              "all). Sources are in the targets file.")
        else:
            page.paragraph(f"None of the observations of {path.name} falls in these runs' groups and dates.",
                           "note")

    # Paired differences.
    if len(runs) > 1:
        page.section("comparison", "Scenario comparison: paired differences")
        pairs = []
        for b in runs[1:]:
            p = fan.pairing(runs[0], b)
            if isinstance(p, str):
                page.paragraph(f"{b.label} − {runs[0].label}: not shown, {p}.", "note")
            else:
                pairs.append((runs[0], b, p))
        if pairs:
            page.paragraph(f"B − A with A = {runs[0].label} (the first file): each replicate of B minus the "
                           "replicate of A with the same index. Runs with the same seed share their random numbers "
                           "replicate by replicate, so the bands show how the effect varies over the sampled "
                           "uncertainties, without the noise of two independent ensembles. "
                           "Only months reported by both runs are compared.")
            for ind in style.KEY_INDICATORS:
                name = fan.difference_chart(runs, pairs, ind, out / f"diff-{ind}.png")
                if name:
                    charts.append(name)
                    ratio = pairs[0][0].units(ind) == "1"
                    page.figure(name, f"{style.TITLES[ind]}: paired difference B − A"
                                      + (" in percentage points." if ratio else "."))

    # Goal ledger.
    page.section("goals", "Goal ledger")
    rows = []
    for r, g, label in goals.goal_rows(runs):
        finite = g.margin[np.isfinite(g.margin)]
        margin = "–" if not finite.size else _fmt(float(np.median(finite)),
                                                  "1" if g.aggregation == "share_of_cities" else g.unit, difference=True)
        rows.append((r.label, g.name, g.describe(), g.source,
                     "not judged" if not finite.size else f"{g.probability:.0%} ({g.low:.0%} – {g.high:.0%})",
                     len(g.met), margin))
    if rows:
        page.table(["scenario", "goal", "test", "source", "P(attained) (90 % Wilson)", "replicates",
                    "median margin"], rows, numeric=(5,))
    else:
        page.paragraph("The runs define no goals.")
    name = goals.category_heatmap(runs, out / "goals-category.png")
    charts.append(name)
    page.figure(name, "Probability of attainment, as regsim computes it (/goals/probability_by_group, every "
                      "replicate): the goal's test — its indicator, aggregation, date and threshold — on the goal's "
                      "cities within each group. First column: all the goal's cities, i.e. the goal as defined; "
                      "then each 2013 category. Below each share, its 90 % Wilson interval. –: none of the goal's "
                      "cities in the group, or the goal is dated after the run's end.")
    name = goals.province_heatmap(runs, out / "goals-province.png")
    charts.append(name)
    page.figure(name, "The same for the goal's cities in each province (rows; in brackets, the run's cities there). "
                      "A province where the goal's cities are few swings between 0 and 100 %: read the interval.")
    name = goals.threshold_curves(runs, out / "threshold-curves.png")
    charts.append(name)
    page.figure(name, "Threshold curves. The plans' 2035 goals are qualitative, so each panel shows how the "
                      "probability of attainment moves with the threshold, computed exactly from the stored "
                      "per-replicate margins (the value compared = threshold ∓ margin; for share_of_cities the "
                      "required share moves). Dashed line: the scenario's threshold; band: 90 % Wilson interval.")

    # Map.
    page.section("map", "Map of the cities")
    for r, s in zip(runs, slugs):
        indicator = map_indicator if map_indicator in r.indicators else "unemployment_rate"
        name = geo.city_map(r, indicator, out / f"map-{s}.png")
        charts.append(name)
        page.figure(name, f"{r.label}: each city at its seat, coloured by the median over replicates of "
                          f"{r.long_name(indicator)} in {r.dates[-1]} (from /summary, all replicates); marker: "
                          "2013 class. " + ("Province outlines: Digital Chart of the World (gmt-dcw)."
                                            if geo.province_outlines() else "No province outlines (gmt-dcw not installed)."))

    # Events.
    page.section("events", "Event timeline")
    page.paragraph("Policies are named from /policies; their windows come from the run's resolved scenario.",
                   "note")
    for r, s in zip(runs, slugs):
        name = events.timeline(r, out / f"events-{s}.png")
        charts.append(name)
        page.figure(name, f"{r.label}: policy windows, then events per calendar year from /events (mean over "
                          "replicates with 5–95 % whiskers): policy actions and trigger firings by policy (in "
                          "the legend, the total per replicate), mine closures and the workers they lay off, "
                          "reclassifications by the class reached, reserve discoveries and park openings.")

    # Scenario discovery.
    page.section("discovery", "Scenario discovery")
    page.paragraph("Which sampled uncertainties (/uncertainties/value) separate the replicates of interest from "
                   "the others. PRIM: peel the box along the uncertainty that raises the share of cases most, "
                   "choose the box with the best balance of coverage (share of all cases inside) and density "
                   "(share of the box that are cases), paste back and drop restrictions that do not help. "
                   "CART: a decision tree of depth ≤ 3.")
    for r, s in zip(runs, slugs):
        found = discovery.discover(r)
        page.add(f"<h3>{esc(r.label)}</h3>")
        if "skipped" in found:
            page.paragraph(f"Not run: {found['skipped']}.", "note")
            continue
        box = found["box"]
        page.paragraph(f"Cases: {found['target'].description} — {int(found['target'].cases.sum())} of "
                       f"{len(found['target'].cases)} replicates (base rate {found['base_rate']:.0%}).")
        name = discovery.discovery_chart(r, found, out / f"discovery-{s}.png")
        charts.append(name)
        page.figure(name, f"PRIM box: coverage {box.coverage:.0%}, density {box.density:.0%}, "
                          f"{box.count} replicates inside ({box.support:.0%} of all).")
        lo, hi = found["X"].min(axis=0), found["X"].max(axis=0)
        page.table(["uncertainty", "unit", "sampled range", "PRIM box"],
                   [(n, u if u not in ("", "1") else "1 (dimensionless)", f"{lo[j]:.4g} – {hi[j]:.4g}",
                     f"{box.lower[j]:.4g} – {box.upper[j]:.4g}" if j in box.restricted else "not restricted")
                    for j, (n, u) in enumerate(zip(r.uncertainty_names, r.uncertainty_units))])
        page.table(["measure", "value"], [("coverage", f"{box.coverage:.0%}"), ("density", f"{box.density:.0%}"),
                                          ("support (share of replicates in the box)", f"{box.support:.0%}"),
                                          ("base rate (density of the whole space)", f"{found['base_rate']:.0%}")])
        name = discovery.tree_chart(r, found, out / f"cart-{s}.png")
        charts.append(name)
        page.figure(name, "CART decision tree (scikit-learn, depth ≤ 3, leaves of at least 5 % of replicates).")
        page.table(["CART leaf (rule)", "replicates", "cases", "coverage", "density"],
                   [(rule, n, k, f"{cov:.0%}", f"{den:.0%}") for rule, n, k, cov, den in found["leaves"]],
                   numeric=(1, 2, 3, 4))

    page.section("notes", "Notes on the data")
    page.paragraph("Groups are the cities' 2013 plan class (fixed membership), their province and their primary "
                   "resource; ratios are ratios of sums over a group. Quantiles are over replicates. Charts: "
                   + ", ".join(charts) + ".", "note")
    generated = (f"Generated {datetime.datetime.now().isoformat(timespec='seconds')} by tools/report from "
                 + ", ".join(str(r.path) for r in runs) + ".")
    (out / "index.html").write_text(page.render(generated), encoding="utf-8")
    return charts
