"""`regsim schema`: the JSON Schema an editor checks scenarios with accepts every
scenario of the library and of the tests, and rejects every invalid-corpus
file whose error a schema can see (tests/scenario/invalid/, `# expect:`).

The build directory is $REGSIM_BUILD_DIR, by default <repo>/build.
"""
import json
import os
import pathlib
import re
import subprocess

import jsonschema
import pytest
import yaml

REPO = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("REGSIM_BUILD_DIR", REPO / "build"))
REGSIM = BUILD / "bin" / "regsim"
INVALID = REPO / "tests" / "scenario" / "invalid"

VALID = sorted([*(REPO / "scenarios").glob("*.yaml"),
                *(REPO / "tests" / "model" / "levers" / "cases").glob("*.yaml"),
                REPO / "tests" / "model" / "levers" / "shared_config.yaml",
                REPO / "tests" / "scenario" / "targets" / "tiny.yaml"])

# Invalid files whose error is not in the file's own keys and values, so no
# schema can see it; `regsim validate` reports them. The schema must accept
# each (test_invalid_corpus), so this list is exactly what it leaves out.
NOT_SCHEMA_LEVEL = {
    "bad_truncate.yaml": "an order between two values (truncate lo < hi)",
    "precision_unknown_goal.yaml": "a goal name, which the goals section defines",
    "bad_uniform.yaml": "an order between two values (uniform a < b)",
    "circular_a.yaml": "a cycle through another file (extends)",
    "date_outside_horizon.yaml": "a date against the horizon, which a parent may set",
    "design_file_missing.yaml": "a file on disk (the design CSV)",
    "design_out_of_range.yaml": "the contents of the design CSV",
    "design_overlap.yaml": "the columns of the design CSV",
    "design_unknown_column.yaml": "the header of the design CSV",
    "duplicate_policy.yaml": "unique policy names (also across extends)",
    "price_bad_cell.yaml": "the contents of the price CSV",
    "price_bad_header.yaml": "the header of the price CSV",
    "price_file_missing.yaml": "a file on disk (the price CSV)",
    "price_month_gap.yaml": "the months of the price CSV",
    "price_not_positive.yaml": "the contents of the price CSV",
    "price_outside_horizon.yaml": "the months of the price CSV against the horizon",
    "region_not_found.yaml": "a directory on disk (the region)",
    "selector_matches_no_city.yaml": "the region's cities",
    "unknown_city.yaml": "the region's cities",
    "unknown_province.yaml": "the region's provinces",
    "window_reversed.yaml": "an order between two values (when.to >= when.from)",
    "yaml_syntax.yaml": "not YAML: the editor's YAML parser reports it before any schema",
    "extends_device.yaml": "a file on disk (extends names a device)",
    "extends_not_a_scenario.yaml": "a file on disk (extends names a file that is not a scenario)",
    "invalid_utf8.yaml": "not UTF-8 text: refused before any YAML is read",
    "price_not_utf8.yaml": "the contents of the price CSV (not UTF-8)",
    "lever_years_reversed.yaml": "an order between two values (end_year after peak_year)",
    "yaml_control_character.yaml": "not YAML: a control character the YAML spec forbids",
    "yaml_duplicate_key.yaml": "a duplicate key, which JSON and its schemas cannot see",
    "yaml_second_document.yaml": "a second YAML document after the scenario",
    "yaml_stray_comma.yaml": "not YAML: a stray comma (the editor's YAML parser reports it)",
}


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML reads YAML 1.1; editors' language servers read 1.2, where 1e7 is a number (1.1 wants 1.0e7)."""


Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$"),
    list("-+0123456789."))


def load(path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)


@pytest.fixture(scope="module")
def validator():
    if not REGSIM.exists():
        if "REGSIM_BUILD_DIR" in os.environ:
            pytest.fail(f"{REGSIM} is missing: build the project first")
        pytest.skip(f"{REGSIM} is missing: build first (cmake --build build)")
    out = subprocess.run([str(REGSIM), "schema"], capture_output=True, text=True, check=True).stdout
    schema = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(schema)
    print(f"schema: {len(out.encode())} bytes")
    return jsonschema.Draft202012Validator(schema)


def test_schema_describes_every_lever_parameter_and_indicator(validator):
    schema = validator.schema
    levers = {c["const"] for c in schema["$defs"]["lever"]["anyOf"]}
    listed = subprocess.run([str(REGSIM), "levers"], capture_output=True, text=True, check=True).stdout
    assert levers == set(re.findall(r"^(\w+): ", listed, re.M))
    params = schema["properties"]["parameters"]["properties"]
    growth = params["replacement.growth_rate"]
    assert growth["type"] == "number" and growth["minimum"] < growth["maximum"]
    assert growth["description"].startswith("[1/year]")
    assert params["replacement"]["properties"]["growth_rate"] == growth  # the nested spelling
    indicators = {c["const"] for c in schema["$defs"]["indicator"]["anyOf"]}
    assert {"unemployment_rate", "gdp", "population"} <= indicators


@pytest.mark.parametrize("path", VALID, ids=lambda p: str(p.relative_to(REPO)))
def test_library_and_test_scenarios_are_valid(validator, path):
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(load(path))]
    assert not errors, "\n".join(errors)


def test_invalid_corpus(validator):
    files = sorted(INVALID.glob("*.yaml"))
    assert len(files) > 40
    assert set(NOT_SCHEMA_LEVEL) <= {f.name for f in files}, "NOT_SCHEMA_LEVEL names a file that is gone"
    accepted, rejected = [], []
    for f in files:
        assert f.read_bytes().startswith(b"# expect: "), f
        try:
            document = load(f)
        except (yaml.YAMLError, UnicodeDecodeError):
            accepted.append(f.name)  # never reaches the schema
            continue
        (accepted if validator.is_valid(document) else rejected).append(f.name)
    print(f"invalid corpus: {len(rejected)} of {len(files)} rejected by the schema, "
          f"{len(accepted)} left to regsim validate")
    assert sorted(accepted) == sorted(NOT_SCHEMA_LEVEL), (
        "schema-level errors the schema accepts: "
        f"{sorted(set(accepted) - set(NOT_SCHEMA_LEVEL))}; "
        f"listed as not schema-level but rejected: {sorted(set(NOT_SCHEMA_LEVEL) - set(accepted))}")


def test_a_child_scenario_needs_no_keys_but_a_whole_one_needs_its_name(validator):
    assert validator.is_valid({"extends": "fyp14.yaml", "horizon": {"end": "2030-12"}})
    assert not validator.is_valid({"horizon": {"end": "2030-12"}})
    assert validator.is_valid({"scenario": "whole"})


# Edge cases where a schema could easily be stricter or looser than the validator: (scenario text, valid?).
AGREEMENT = [
    ("scenario: a\npolicies:\n  - {name: seats, lever: training_seats, set: ~}\n", True),
    ("scenario: a\npolicies:\n  - {name: cap, lever: extraction_cap, set: ~}\n", False),  # cap is required
    ("scenario: a\npolicies: ~\ngoals: ~\nparameters: ~\nuncertainties: ~\n", True),
    ("scenario: a\nhorizon: ~\n", False),
    ("scenario: a\nparameters: {replacement: {growth_rate: 0.06}}\n", True),
    ("scenario: a\nparameters: {replacement: {growth_rat: 0.06}}\n", False),
    ("scenario: a\nparameters: {prices.volatility: 1.0e-1}\n", True),
    ("scenario: a\nexperiment: {seed: 18446744073709551615, replications: 200}\n", True),
    ("scenario: a\nexperiment: {seed: -1}\n", False),
    ("scenario: a\noutputs: {variables: all, replicates: none, aggregates: yes}\n", True),
    ("scenario: a\npolicies:\n  - name: jobs\n    lever: public_jobs\n    where: {exhausted: [1, 3], macro_region: northeast}\n"
     "    trigger: {indicator: unemployment_rate, below: 0.1, rearm: on}\n    set: {share_of_unemployed: 0.2}\n", True),
    ("scenario: a\ngoals:\n  - {name: g, indicator: gdp, by: 2030-12, above: 1, share: 0.5}\n", False),
    ("scenario: a\ngoals:\n  - {name: g, indicator: gdp, by: 2030-12, above: 1, aggregation: share_of_cities, "
     "share: 0.5}\n", True),
    ("scenario: a\nexperiment: {replications: auto, precision: {half_width: 0.05, goals: g}}\n"
     "goals:\n  - {name: g, indicator: gdp, at: 2030-12, above: 1}\n", True),
    ("scenario: a\nexperiment: {replications: auto, precision: {half_width: 0.05, batch: 0}}\n"
     "goals:\n  - {name: g, indicator: gdp, at: 2030-12, above: 1}\n", False),
    ("scenario: a\nexperiment: {replications: auto, precision: {goals: [g]}}\n"
     "goals:\n  - {name: g, indicator: gdp, at: 2030-12, above: 1}\n", False),  # half_width is required
]


@pytest.mark.parametrize("text, valid", AGREEMENT)
def test_schema_and_regsim_validate_agree(validator, tmp_path, text, valid):
    path = tmp_path / "edge.yaml"
    path.write_text(text, encoding="utf-8")
    r = subprocess.run([str(REGSIM), "validate", str(path)], capture_output=True, text=True)
    assert r.returncode == (0 if valid else 2), r.stderr
    assert validator.is_valid(load(path)) == valid
