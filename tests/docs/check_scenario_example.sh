#!/usr/bin/env bash
# The example at the top of scenarios/README.md's language section must
# validate: a researcher copies it first.
# Usage: check_scenario_example.sh REGSIM SCENARIOS_README
set -euo pipefail
regsim=$1 readme=$2
dir=$(dirname "$readme")
example="$dir/.readme-example-$$.yaml"  # beside the library, so relative paths resolve
trap 'rm -f "$example"' EXIT
awk '/^## The language/ {section = 1} section && /^```yaml/ {inside = 1; next}
     inside && /^```/ {exit} inside {print}' "$readme" >"$example"
[[ -s $example ]] || { echo "no yaml example under '## The language' in $readme" >&2; exit 1; }
"$regsim" validate "$example"
