"""Builds the report: every chart as a PNG in the output directory, and index.html linking them."""
import datetime
import pathlib
import re

import numpy as np

from . import attribution, data, discovery, events, fan, geo, goals, messages, sensitivity, style
from .messages import headers, t
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
        return t("dash")
    factor, unit = style.display_unit(units, [value])
    if difference and units == "1":
        unit = messages.unit("pp")
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
            rows.append((messages.indicator(ind), r.label,
                         t("headline_value", date=r.dates[0], value=_fmt(first["p50"][0], units)),
                         t("headline_value", date=r.dates[-1], value=_fmt(last["p50"][0], units)),
                         _fmt_range(last["p05"][0], last["p95"][0], units)))
    return rows


def _runs_section(page, runs):
    page.section("runs", t("section_runs"))
    rows = []
    for r in runs:
        exp = r.scenario.get("experiment", {}) or {}
        start, end = r.horizon
        rows.append((r.path.name, r.label, r.scenario.get("description", ""), f"{start} .. {end}",
                     len(r.replicates), r.seed, messages.sampling(exp.get("sampling", "monte_carlo")),
                     f"{r.attrs.get('regsim_version', '?')} ({r.attrs.get('git_revision', '?')})",
                     r.attrs.get("created", ""),
                     ", ".join(discovery.label(n, u) for n, u in zip(r.uncertainty_names, r.uncertainty_units))
                     or t("none")))
    page.table(headers("runs_headers"), rows, numeric=(4, 5))
    page.paragraph(t("runs_note"), "note")


def build_attribution(attributions, out_dir, lang="en"):
    """index.html with the Attribution section alone, for attribution files given without run files."""
    messages.use(lang)
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    style.setup()
    page = Page(t("page_title", names=", ".join(a.label for a in attributions)), t("html_lang"))
    charts = attribution.section(page, attributions, out, slug)
    generated = t("generated", when=datetime.datetime.now().isoformat(timespec="seconds"),
                  files=", ".join(str(a.path) for a in attributions))
    (out / "index.html").write_text(page.render(generated), encoding="utf-8")
    return charts


def build(runs, out_dir, map_indicator="unemployment_rate", targets_path=None, lang="en", attributions=()):
    """Write every chart and index.html into out_dir, in `lang` (en or zh); returns the list of chart file names.
    `attributions` (attribution.AttributionFile) add the Attribution section."""
    messages.use(lang)
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    style.setup()
    slugs = run_slugs(runs)
    charts = []
    names = ", ".join(r.label for r in runs)
    page = Page(t("page_title", names=names), t("html_lang"))
    _runs_section(page, runs)

    # Key indicators.
    page.section("indicators", t("section_indicators"))
    page.paragraph(t("indicators_intro") + (t("indicators_overlaid") if len(runs) > 1 else ""))
    page.table(headers("headline_headers"), _headline_rows(runs))
    for ind in style.KEY_INDICATORS:
        name = fan.fan_chart(runs, ind, out / f"fan-{ind}.png")
        if name:
            charts.append(name)
            r = next(r for r in runs if ind in r.indicators)
            page.figure(name, t("fan_caption", title=messages.indicator(ind), long_name=r.long_name(ind),
                                units=messages.unit(r.units(ind))))

    # Model vs data.
    path = pathlib.Path(targets_path) if targets_path else data.DEFAULT_TARGETS
    if targets_path or path.is_file():  # a missing default is skipped, a missing --targets is an error
        targets = data.load_targets(path)
        name = data.model_vs_data(runs, targets, out / "model-vs-data.png")
        page.section("data", t("section_data"))
        if name:
            charts.append(name)
            shown = sum(len(v) for v in data.drawable(runs, targets).values())
            page.figure(name, t("data_caption", shown=shown, total=len(targets), file=path.name))
        else:
            page.paragraph(t("data_none", file=path.name), "note")

    # Paired differences.
    if len(runs) > 1:
        page.section("comparison", t("section_comparison"))
        pairs = []
        for b in runs[1:]:
            p = fan.pairing(runs[0], b)
            if isinstance(p, str):
                page.paragraph(t("not_paired", b=b.label, a=runs[0].label, reason=p), "note")
            else:
                pairs.append((runs[0], b, p))
        if pairs:
            page.paragraph(t("comparison_intro", a=runs[0].label))
            for ind in style.KEY_INDICATORS:
                name = fan.difference_chart(runs, pairs, ind, out / f"diff-{ind}.png")
                if name:
                    charts.append(name)
                    ratio = pairs[0][0].units(ind) == "1"
                    page.figure(name, t("difference_caption_pp" if ratio else "difference_caption",
                                        title=messages.indicator(ind)))

    # Goal ledger.
    page.section("goals", t("section_goals"))
    rows = []
    for r, g, label in goals.goal_rows(runs):
        finite = g.margin[np.isfinite(g.margin)]
        margin = t("dash") if not finite.size else _fmt(float(np.median(finite)),
                                                  "1" if g.aggregation == "share_of_cities" else g.unit, difference=True)
        rows.append((r.label, g.name, g.describe(r.provinces_zh), g.source,
                     t("not_judged") if not finite.size else t("probability_interval", p=f"{g.probability:.0%}",
                                                               low=f"{g.low:.0%}", high=f"{g.high:.0%}"),
                     len(g.met), margin))
    if rows:
        page.table(headers("goals_headers"), rows, numeric=(5,))
    else:
        page.paragraph(t("no_goals_page"))
    for r in runs:
        # replications: auto: how many replicates the run chose, and why.
        reason = r.attrs.get("replications_stop_reason")
        if reason is None:
            continue
        page.paragraph(t("precision_reached" if reason == "precision reached" else "precision_cap",
                         scenario=r.label, n=r.attrs.get("replications"),
                         batch=r.attrs.get("precision_batch"), cap=r.attrs.get("max_replications"),
                         target=f"{100 * float(r.attrs['precision_half_width']):.1f}",
                         achieved=f"{100 * float(r.attrs['precision_half_width_achieved']):.1f}"))
    name = goals.category_heatmap(runs, out / "goals-category.png")
    charts.append(name)
    page.figure(name, t("category_caption"))
    name = goals.province_heatmap(runs, out / "goals-province.png")
    charts.append(name)
    page.figure(name, t("province_caption"))
    name = goals.threshold_curves(runs, out / "threshold-curves.png")
    charts.append(name)
    page.figure(name, t("threshold_caption"))

    # Map.
    page.section("map", t("section_map"))
    for r, s in zip(runs, slugs):
        indicator = map_indicator if map_indicator in r.indicators else "unemployment_rate"
        name = geo.city_map(r, indicator, out / f"map-{s}.png")
        charts.append(name)
        long_name = r.long_name(indicator) if messages.language() == "en" else messages.indicator_short(indicator)
        page.figure(name, t("map_caption", label=r.label, indicator=long_name, date=r.dates[-1],
                            outlines=t("map_outlines" if geo.province_outlines() else "map_no_outlines")))

    # Events.
    page.section("events", t("section_events"))
    page.paragraph(t("events_note"), "note")
    for r, s in zip(runs, slugs):
        name = events.timeline(r, out / f"events-{s}.png")
        charts.append(name)
        page.figure(name, t("events_caption", label=r.label))

    # Scenario discovery.
    page.section("discovery", t("section_discovery"))
    page.paragraph(t("discovery_intro"))
    for r, s in zip(runs, slugs):
        found = discovery.discover(r)
        page.add(f"<h3>{esc(r.label)}</h3>")
        if "skipped" in found:
            page.paragraph(t("not_run", reason=found["skipped"]), "note")
            continue
        box = found["box"]
        page.paragraph(t("cases", target=found["target"].description, n=int(found["target"].cases.sum()),
                         total=len(found["target"].cases), rate=f"{found['base_rate']:.0%}"))
        name = discovery.discovery_chart(r, found, out / f"discovery-{s}.png")
        charts.append(name)
        page.figure(name, t("prim_caption", coverage=f"{box.coverage:.0%}", density=f"{box.density:.0%}",
                            count=box.count, support=f"{box.support:.0%}"))
        lo, hi = found["X"].min(axis=0), found["X"].max(axis=0)
        page.table(headers("box_headers"),
                   [(n, messages.unit(u) if u not in ("", "1") else t("dimensionless"), f"{lo[j]:.4g} – {hi[j]:.4g}",
                     f"{box.lower[j]:.4g} – {box.upper[j]:.4g}" if j in box.restricted else t("not_restricted"))
                    for j, (n, u) in enumerate(zip(r.uncertainty_names, r.uncertainty_units))])
        page.table(headers("measure_headers"), [(t("coverage"), f"{box.coverage:.0%}"),
                                                (t("density"), f"{box.density:.0%}"),
                                                (t("support"), f"{box.support:.0%}"),
                                                (t("base_rate"), f"{found['base_rate']:.0%}")])
        name = discovery.tree_chart(r, found, out / f"cart-{s}.png")
        charts.append(name)
        page.figure(name, t("cart_caption"))
        page.table(headers("leaf_headers"),
                   [(rule, n, k, f"{cov:.0%}", f"{den:.0%}") for rule, n, k, cov, den in found["leaves"]],
                   numeric=(1, 2, 3, 4))

    charts += sensitivity.section(page, runs, slugs, out)
    if attributions:
        charts += attribution.section(page, attributions, out, slug)

    page.section("notes", t("section_notes"))
    page.paragraph(t("notes", charts=", ".join(charts)), "note")
    generated = t("generated", when=datetime.datetime.now().isoformat(timespec="seconds"),
                  files=", ".join(str(r.path) for r in runs))
    (out / "index.html").write_text(page.render(generated), encoding="utf-8")
    return charts
