#!/usr/bin/env bash
# junit_e2e.sh CLI PKI_DIR OUT_DIR XSD: `onshi-hil run --junit` on the emulated rig, read by a
# real JUnit consumer (xmllint against the Ant/Jenkins junit schema shape), with its counts
# checked and no PIN anywhere in the file. Runs a passing and an expected-failure scenario.
set -euo pipefail
cli=$1 pki=$2 out=$3 xsd=$4
mkdir -p "$out"

fail() { echo "junit_e2e: $*" >&2; exit 1; }

# attr FILE XPATH: the value of one attribute, through xmllint.
attr() { xmllint --xpath "string($2)" "$1"; }

check() {
  local scenario=$1 tests=$2 failures=$3 errors=$4 skipped=$5 file="$out/$1.xml"
  rm -f "$file"
  "$cli" run --scenario "$scenario" --pki "$pki" --output "$out/$scenario" --junit "$file" --record "$out/$scenario.json" ||
    fail "$scenario: onshi-hil run exited $?"
  xmllint --noout --schema "$xsd" "$file" || fail "$scenario: $file does not validate against $xsd"
  for pair in "tests:$tests" "failures:$failures" "errors:$errors" "skipped:$skipped"; do
    local name=${pair%%:*} want=${pair#*:}
    local suites suite
    suites=$(attr "$file" "/testsuites/@$name")
    suite=$(attr "$file" "/testsuites/testsuite[1]/@$name")
    [[ $suites == "$want" && $suite == "$want" ]] || fail "$scenario: $name is $suites/$suite, wanted $want"
  done
  [[ $(attr "$file" "count(/testsuites/testsuite)") == 1 ]] || fail "$scenario: not one testsuite"
  [[ $(attr "$file" "count(//testcase)") == "$tests" ]] || fail "$scenario: testcase count differs from tests"
  local time
  time=$(attr "$file" "/testsuites/testsuite[1]/@time")
  [[ $time =~ ^[0-9]+\.[0-9]{3}$ ]] || fail "$scenario: time '$time' is not seconds with 3 decimals"
  # The patient's PIN (1234) and the wrong entries (9999) never appear as a value.
  if grep -nE '"(1234|9999)"|>(1234|9999)<|: (1234|9999)$' "$file"; then fail "$scenario: a PIN appears in $file"; fi
  echo "junit_e2e: $scenario: valid, tests=$tests failures=$failures errors=$errors skipped=$skipped"
}

check pin-ok 7 0 0 0
check pin-locked 7 0 0 4
