#!/usr/bin/env bash
# The parameter table in README.md must be what `regsim params --markdown` prints.
set -euo pipefail
regsim=$1 readme=$2
expected=$("$regsim" params --markdown)
actual=$(sed -n '/<!-- params:begin/,/<!-- params:end -->/p' "$readme" | sed '1d;$d')
if [[ "$expected" != "$actual" ]]; then
  echo "README.md's parameter table is out of date; regenerate it with:"
  echo "  build/bin/regsim params --markdown   (between the params:begin/end markers)"
  diff <(echo "$expected") <(echo "$actual") || true
  exit 1
fi
echo "README parameter table is current"
