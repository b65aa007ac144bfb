#!/usr/bin/env bash
# expect_exit.sh CODE CMD...: passes if CMD exits with CODE and, for a
# non-zero code, prints exactly one line starting with "<prog>: error:".
set -u
want=$1; shift
err=$("$@" 2>&1 >/dev/null); got=$?
echo "$err"
if [[ $got -ne $want ]]; then echo "expected exit $want, got $got"; exit 1; fi
if [[ $want -ne 0 ]] && ! grep -q ": error: " <<<"$err"; then echo "no 'error:' line"; exit 1; fi
exit 0
