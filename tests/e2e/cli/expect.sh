#!/usr/bin/env bash
# expect.sh EXIT_CODE REGEX -- COMMAND...: runs COMMAND, passes when it exits with EXIT_CODE
# and its combined output matches REGEX (grep -E). Prints the output either way.
set -u
want=$1 regex=$2
shift 3
out=$("$@" 2>&1)
got=$?
printf '%s\n' "$out"
if [[ $got -ne $want ]]; then
  echo "expect.sh: exit code $got, wanted $want" >&2
  exit 1
fi
if ! grep -qE -- "$regex" <<<"$out"; then
  echo "expect.sh: output does not match /$regex/" >&2
  exit 1
fi
