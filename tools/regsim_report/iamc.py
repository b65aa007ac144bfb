"""IAMC long format: Model, Scenario, Region, Variable, Unit, then one column per year.

Rows come from /aggregates [replicate, group, time]: one row per group
(nation, province, 2013 category, and optionally primary resource),
indicator and statistic over replicates. A statistic is the last segment of
the variable name, as in the IPCC AR6 database: "...|Mean",
"...|5th Percentile", "...|50th Percentile". A year's column holds the value
of the last reported month of that year (December for annual output).
"""
import numpy as np
import pandas as pd

from . import stats

# indicator -> (IAMC variable, unit, factor applied to the stored value)
VARIABLES = {
    "population": ("Population", "million", 1e-6),
    "labour_force": ("Labour Force", "million", 1e-6),
    "unemployed": ("Unemployment", "million", 1e-6),
    "unemployment_rate": ("Unemployment|Rate", "%", 100.0),
    "miners_employed": ("Employment|Mining", "thousand", 1e-3),
    "unemployed_ex_miners": ("regsim|Unemployment|Ex-miners", "thousand", 1e-3),
    "long_term_unemployed_ex_miners": ("regsim|Unemployment|Ex-miners|Long-term", "thousand", 1e-3),
    "trainees": ("regsim|Retraining|Trainees", "thousand", 1e-3),
    "training_queue": ("regsim|Retraining|Waiting", "thousand", 1e-3),
    "cumulative_reemployed": ("regsim|Re-employment|Ex-miners|Cumulative", "thousand", 1e-3),
    "social_assistance": ("regsim|Social Assistance|Recipients", "thousand", 1e-3),
    "cumulative_out_migrants": ("regsim|Migration|Out|Cumulative", "thousand", 1e-3),
    "gdp": ("GDP", "billion CNY2012/yr", 0.1),
    "resource_va": ("regsim|Value Added|Resource Sector", "billion CNY2012/yr", 0.1),
    "replacement_va": ("regsim|Value Added|Replacement Industries", "billion CNY2012/yr", 0.1),
    "resource_dependence": ("regsim|Resource Dependence", "%", 100.0),
    "replacement_share": ("regsim|Replacement Share", "%", 100.0),
    "production": ("regsim|Resource|Production", "resource units/yr", 1.0),
    "reserve": ("regsim|Resource|Reserve", "resource units", 1.0),
    "reserve_to_production": ("regsim|Resource|Reserve-to-Production Ratio", "yr", 1.0),
    "cumulative_extraction": ("regsim|Resource|Cumulative Extraction", "resource units", 1.0),
    "ultimate_resource": ("regsim|Resource|Ultimate Resource", "resource units", 1.0),
    "exhaustion_fraction": ("regsim|Resource|Exhaustion Fraction", "%", 100.0),
    "degraded_land": ("regsim|Land|Mining-degraded", "thousand ha", 1e-3),
    "restored_land": ("regsim|Land|Restored", "thousand ha", 1e-3),
    "restoration_rate": ("regsim|Land|Restoration Rate", "%", 100.0),
    "transfers_received": ("regsim|Fiscal|Transfers Received|Cumulative", "billion CNY2012", 0.1),
    "policy_spending": ("regsim|Fiscal|Policy Spending|Cumulative", "billion CNY2012", 0.1),
}
SKIPPED = {"city_class"}  # a class code: its sum over cities means nothing
REGION_ROOT = "China|Resource-based cities"  # the run's cities, not all of China
DEFAULT_GROUP_KINDS = ("nation", "province", "category")


def variable_for(indicator, units):
    """(variable, unit, factor); an indicator without a mapping keeps its name and units."""
    return VARIABLES.get(indicator, (f"regsim|{indicator}", units, 1.0))


def region_for(group):
    kind, _, name = group.partition(":")
    if kind == "nation":
        return REGION_ROOT
    if kind == "category":
        return f"{REGION_ROOT}|{name.capitalize()} (2013 class)"
    if kind == "resource":
        return f"{REGION_ROOT}|{name.replace('_', ' ').capitalize()} (primary resource)"
    return f"{REGION_ROOT}|{name}"


def statistic_name(q):
    """0.05 -> '5th Percentile', 0.5 -> '50th Percentile' (AR6 style)."""
    value = f"{100 * q:g}"
    return f"{value}th Percentile"


def year_columns(run):
    """(years, time index of the last reported month in each year)."""
    years = run.dates.astype("datetime64[Y]").astype(int) + 1970
    unique = np.unique(years)
    return unique, np.array([np.flatnonzero(years == y)[-1] for y in unique])


def export(runs, quantiles, with_mean=True, group_kinds=DEFAULT_GROUP_KINDS):
    """A DataFrame in IAMC long format for all runs."""
    frames = []
    for run in runs:
        model = f"regsim {run.attrs.get('regsim_version', '')}".strip()
        years, t_index = year_columns(run)
        groups = [g for g in run.groups if g.partition(":")[0] in group_kinds]
        # The mapped indicators in the table's order, then any others the file holds.
        ordered = [i for i in VARIABLES if i in run.indicators] + [i for i in run.indicators if i not in VARIABLES]
        for indicator in ordered:
            if indicator in SKIPPED:
                continue
            variable, unit, factor = variable_for(indicator, run.units(indicator))
            data = run.aggregate(indicator, groups=groups)[:, :, t_index] * factor  # [replicate, group, year]
            tables = []
            if with_mean:
                with np.errstate(all="ignore"):
                    tables.append(("Mean", np.nanmean(data, axis=0)))
            for q in quantiles:
                tables.append((statistic_name(q), stats.quantiles(data, q, axis=0)))
            for label, table in tables:
                frame = pd.DataFrame(table, columns=[int(y) for y in years])
                frame.insert(0, "Unit", unit)
                frame.insert(0, "Variable", f"{variable}|{label}")
                frame.insert(0, "Region", [region_for(g) for g in groups])
                frame.insert(0, "Scenario", run.label)
                frame.insert(0, "Model", model)
                frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=["Model", "Scenario", "Region", "Variable", "Unit"])
    out = pd.concat(frames, ignore_index=True)
    year_cols = sorted(c for c in out.columns if isinstance(c, int))
    return out[["Model", "Scenario", "Region", "Variable", "Unit"] + year_cols]


# Sheet names of the workbook, one per region level (Excel allows 31 characters).
LEVEL_SHEETS = {"nation": "Nation", "province": "Province", "category": "Category (2013 class)",
                "resource": "Primary resource"}
GOAL_SHEET = "Goals by province"


def goals_by_province(runs):
    """The goal ledger by province, one row per run, goal and province: regsim's attainment probability
    of the goal on its cities there (/goals/probability[_low,_high]_by_group); provinces without any of the
    goal's cities are left out."""
    rows = []
    for run in runs:
        model = f"regsim {run.attrs.get('regsim_version', '')}".strip()
        zh = run.provinces_zh
        for goal in run.goals:
            for group in run.groups_of_kind("province"):
                k = run.group_index[group]
                p = goal.by_group["probability"][k]
                if not np.isfinite(p):
                    continue
                province = group.partition(":")[2]
                rows.append((model, run.label, goal.name, goal.describe(), province, zh.get(province, ""), p,
                             goal.by_group["low"][k], goal.by_group["high"][k]))
    return pd.DataFrame(rows, columns=["Model", "Scenario", "Goal", "Test", "Province", "Province (zh)",
                                       "Probability", "Low (90 % Wilson)", "High (90 % Wilson)"])


def write_xlsx(runs, path, quantiles, with_mean=True, group_kinds=DEFAULT_GROUP_KINDS):
    """The export's table as a workbook: one sheet per region level, then the goal ledger by province.
    Returns the number of table rows written (as the CSV would have)."""
    rows = 0
    with pd.ExcelWriter(path, engine="openpyxl") as book:
        for kind in group_kinds:
            table = export(runs, quantiles, with_mean, [kind])
            table.to_excel(book, sheet_name=LEVEL_SHEETS[kind], index=False)
            rows += len(table)
        goals_by_province(runs).to_excel(book, sheet_name=GOAL_SHEET, index=False)
    return rows
