"""tools/export-iamc: the IAMC long format round-trips through pandas with the right columns and values."""
import shutil

import h5py
import numpy as np
import pandas as pd
import pytest

from conftest import tool
from regsim_report.runfile import RunFile

ID_COLUMNS = ["Model", "Scenario", "Region", "Variable", "Unit"]
NATION = "China|Resource-based cities"


@pytest.fixture(scope="module")
def exported(runs, tmp_path_factory):
    path = tmp_path_factory.mktemp("iamc") / "light.csv"
    r = tool("export-iamc", runs["a"], runs["b"], "-o", path, "--quantiles", "0.05,0.5,0.95")
    assert r.returncode == 0, r.stderr
    return pd.read_csv(path)


def test_columns_are_the_iamc_ones_then_one_per_year(exported):
    assert list(exported.columns) == ID_COLUMNS + ["2013", "2014", "2015", "2016"]
    assert set(exported["Scenario"]) == {"light-a", "light-b"}
    assert exported["Model"].str.startswith("regsim").all()
    assert not exported.duplicated(ID_COLUMNS).any()


def test_regions_statistics_and_variable_names(exported):
    regions = set(exported["Region"])
    assert NATION in regions
    assert f"{NATION}|Shanxi" in regions
    assert f"{NATION}|Declining (2013 class)" in regions
    variables = set(exported["Variable"])
    for stat in ("Mean", "5th Percentile", "50th Percentile", "95th Percentile"):
        assert f"Unemployment|Rate|{stat}" in variables
    assert "Population|Mean" in variables
    assert "regsim|Unemployment|Ex-miners|50th Percentile" in variables
    assert not any(v.startswith("regsim|city_class") for v in variables)
    units = exported.drop_duplicates("Variable").set_index("Variable")["Unit"]
    assert units["Unemployment|Rate|Mean"] == "%"
    assert units["Population|Mean"] == "million"


def test_values_are_the_replicate_statistics_of_the_aggregates(exported, runs):
    with RunFile(runs["a"]) as run:
        rate = run.aggregate("unemployment_rate", groups=["nation:all"])[:, 0, -1]
        population = run.aggregate("population", groups=["category:declining"])[:, 0, -1]
    rows = exported[exported["Scenario"] == "light-a"].set_index(["Region", "Variable"])
    assert rows.loc[(NATION, "Unemployment|Rate|50th Percentile"), "2016"] == pytest.approx(
        100 * np.median(rate), rel=1e-5)
    assert rows.loc[(f"{NATION}|Declining (2013 class)", "Population|Mean"), "2016"] == pytest.approx(
        1e-6 * population.mean(), rel=1e-5)


def test_chosen_quantiles_without_the_mean(runs, tmp_path):
    path = tmp_path / "q.csv"
    r = tool("export-iamc", runs["a"], "-o", path, "--quantiles", "0.1,0.9", "--no-mean", "--groups", "nation")
    assert r.returncode == 0, r.stderr
    table = pd.read_csv(path)
    assert set(table["Region"]) == {NATION}
    assert {v.rsplit("|", 1)[1] for v in table["Variable"]} == {"10th Percentile", "90th Percentile"}


def test_a_file_from_an_older_regsim_still_exports(runs, tmp_path):
    old = tmp_path / "old.h5"
    shutil.copy(runs["a"], old)
    with h5py.File(old, "r+") as f:  # before regsim judged goals by place and described them
        for name in ("goals/probability_by_group", "goals/comparison", "uncertainties/unit"):
            del f[name]
    r = tool("export-iamc", old, "-o", tmp_path / "old.csv", "--groups", "nation")
    assert r.returncode == 0, r.stderr
    assert "Unemployment|Rate|Mean" in set(pd.read_csv(tmp_path / "old.csv")["Variable"])


@pytest.mark.parametrize("args", [["--quantiles", "0.5,x"], ["--quantiles", "1.5"], ["--groups", "planet"]])
def test_bad_flags_exit_2(runs, tmp_path, args):
    r = tool("export-iamc", runs["a"], "-o", tmp_path / "x.csv", *args)
    assert r.returncode == 2
    assert "tools/export-iamc: error:" in r.stderr
    assert not (tmp_path / "x.csv").exists()


def test_a_missing_file_exits_2(tmp_path):
    missing = tmp_path / "missing.h5"
    r = tool("export-iamc", missing, "-o", tmp_path / "x.csv")
    assert r.returncode == 2
    assert r.stderr.strip() == f"tools/export-iamc: error: {missing}: no such file"


def test_xlsx_holds_the_csv_table_by_region_level_and_the_goal_ledger_by_province(runs, exported, tmp_path):
    path = tmp_path / "light.xlsx"
    r = tool("export-iamc", runs["a"], runs["b"], "-o", path, "--quantiles", "0.05,0.5,0.95", "--xlsx",
             "--groups", "nation,province,category,resource")
    assert r.returncode == 0, r.stderr
    sheets = pd.read_excel(path, sheet_name=None)
    assert list(sheets) == ["Nation", "Province", "Category (2013 class)", "Primary resource",
                            "Goals by province"]
    levels = {"Nation": lambda region: region == NATION,
              "Province": lambda region: region.count("|") == 2 and "(" not in region,
              "Category (2013 class)": lambda region: region.endswith("(2013 class)"),
              "Primary resource": lambda region: region.endswith("(primary resource)")}
    for name, belongs in levels.items():
        assert sheets[name]["Region"].map(belongs).all(), name
    # The level sheets together are the CSV export (which has no resource rows by default) plus resources.
    book = pd.concat([sheets[n] for n in levels if n != "Primary resource"], ignore_index=True)
    book.columns = [str(c) for c in book.columns]
    key = ["Scenario", "Region", "Variable"]
    book = book.sort_values(key).reset_index(drop=True)
    csv = exported.sort_values(key).reset_index(drop=True)
    assert list(book.columns) == list(csv.columns)
    pd.testing.assert_frame_equal(book[ID_COLUMNS], csv[ID_COLUMNS])
    years = ["2013", "2014", "2015", "2016"]
    np.testing.assert_allclose(book[years].to_numpy(float), csv[years].to_numpy(float), rtol=1e-5, equal_nan=True)

    goals = sheets["Goals by province"]
    with h5py.File(runs["a"], "r") as f:
        names = [g.decode() if isinstance(g, bytes) else g for g in f["goals/goal"][()]]
        groups = [g.decode() if isinstance(g, bytes) else g for g in f["group"][()]]
        probability = f["goals/probability_by_group"][()]
    shanxi = groups.index("province:Shanxi")
    for i, goal in enumerate(names):
        row = goals[(goals["Scenario"] == "light-a") & (goals["Goal"] == goal) & (goals["Province"] == "Shanxi")]
        if np.isfinite(probability[i, shanxi]):
            assert row["Probability"].item() == pytest.approx(probability[i, shanxi])
            assert row["Province (zh)"].item() == "山西省"
        else:
            assert row.empty
    assert (goals["Low (90 % Wilson)"] <= goals["Probability"]).all()
    assert (goals["Probability"] <= goals["High (90 % Wilson)"]).all()
