#!/usr/bin/env bash
# The installed onshi-hil, moved to a new folder and run from a scratch folder under /tmp with
# a fresh HOME: --version names the version and the source revision, the data comes from
# beside the program (a scenario added to the moved catalogue is listed), and an operational
# test and a reception pass. ONSHI_TEST_PKI (the ctest fixture) spares the key generation.
set -uo pipefail
installed=$1 version=$2
prefix=$(cd "$(dirname "$installed")/.." && pwd)
work=$(mktemp -d /tmp/onshi-hil-installed.XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# A relocated copy: only bin/ and share/, nowhere the build configured.
mkdir -p "$work/moved" "$work/home" "$work/cwd"
cp -a "$prefix/bin" "$prefix/share" "$work/moved/"
exe=$work/moved/bin/onshi-hil
cat >>"$work/moved/share/onshi-hil/fixtures/scenarios/catalogue.toml" <<'TOML'

[[scenario]]
name = "installed-data-marker"
description = "Only in the moved copy: proves the catalogue is read beside the program"
patient = "P001"
pin_entries = ["correct"]
expect = { validity = "1" }
TOML
cd "$work/cwd" || exit 2
export HOME=$work/home
unset ONSHI_FIXTURES_DIR ONSHI_RIGS_DIR

out=$("$exe" --version 2>&1) || fail "--version exited $?: $out"
[[ "$out" =~ ^onshi-hil\ ${version//./\\.}\ \(revision\ [^\)]+\)$ ]] || fail "--version printed: $out"
echo "$out"

out=$("$exe" scenarios 2>&1) || fail "scenarios exited $?: $out"
grep -q installed-data-marker <<<"$out" || fail "scenarios did not read the moved catalogue: $out"

out=$("$exe" optest --evidence "$work/cwd/evidence" 2>&1)
rc=$?
((rc == 0)) || fail "optest exited $rc: $out"
grep -q "operational test: PASSED" <<<"$out" || fail "optest did not pass: $out"
[[ -f "$work/cwd/evidence/manifest.json" ]] || fail "no evidence bundle in the working folder"

out=$("$exe" run --scenario installed-data-marker --record "$work/cwd/record.json" 2>&1)
rc=$?
((rc == 0)) || fail "run exited $rc: $out"
grep -q '"rigs/emulated.toml"\|emulated' "$work/cwd/record.json" || fail "the record names no rig"

((failures == 0)) || exit 1
echo "installed CLI works from $work/cwd"
