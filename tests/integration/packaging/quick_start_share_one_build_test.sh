#!/usr/bin/env bash
# README's Quick start runs ./scripts/operational-test.sh and ./scripts/test.sh one after the
# other: both must configure and build the same preset (one build/ tree, one set of flags),
# or the second rebuilds everything.
set -uo pipefail
scripts=$1
presets() { grep -oE 'cmake (--build )?--preset [a-z]+' "$1" | awk '{print $NF}' | sort -u; }
optest=$(presets "$scripts/operational-test.sh")
suite=$(presets "$scripts/test.sh")
[[ -n "$optest" && -n "$suite" ]] || { echo "FAIL: a script names no preset (operational-test: '$optest', test: '$suite')"; exit 1; }
[[ $(wc -l <<<"$optest") -eq 1 ]] || { echo "FAIL: operational-test.sh uses several presets: $optest"; exit 1; }
[[ "$optest" == "$suite" ]] || { echo "FAIL: operational-test.sh uses preset '$optest', test.sh '$suite': two configurations of build/"; exit 1; }
echo "both scripts use the '$suite' preset"
