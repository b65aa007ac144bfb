#!/usr/bin/env bash
# expect_exit.sh CODE [--match REGEX] CMD...
# Passes if CMD exits with CODE; for a non-zero code its stderr must hold an
# "error:" line, and with --match, its output (stdout + stderr) must match REGEX.
set -u
want=$1; shift
pattern=""
if [[ ${1:-} == --match ]]; then pattern=$2; shift 2; fi
out=$("$@" 2>&1); got=$?
echo "$out" | head -40
if [[ $got -ne $want ]]; then echo "expected exit $want, got $got"; exit 1; fi
if [[ $want -ne 0 ]] && ! grep -q "error: " <<<"$out"; then echo "no 'error:' line"; exit 1; fi
if [[ -n $pattern ]] && ! grep -qE -- "$pattern" <<<"$out"; then echo "output does not match: $pattern"; exit 1; fi
exit 0
