#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, the `fuzz` preset, in build-fuzz/) and runs each for
# SECONDS (default 60) on its seed corpus (fuzz/corpus/<target>/) plus what earlier runs found
# (build-fuzz/fuzz-runs/<target>/corpus/), with its dictionary. Prints one line per target
# and exits non-zero when any target found a crash, a leak or a hang; the reproducer is in
# build-fuzz/fuzz-runs/<target>/ (re-run: build-fuzz/fuzz/<target> FILE).
#   scripts/fuzz.sh          # every target, 60 s each
#   scripts/fuzz.sh 3        # every target, a quick pass
#   scripts/fuzz.sh --ci     # what CI runs: the CODEC targets (parsers below the link layer,
#                            # fuzz/CMakeLists.txt), built alone, 3 s each
# The targets run are the ones this build defines (build-fuzz/fuzz/targets.txt), never a stale binary.
# Installs clang-14 and libclang-rt-14-dev itself (setup.sh --fuzz): the main job never needs them.
set -euo pipefail

scope=all
if [[ "${1:-}" == "--ci" ]]; then
  scope=codec
  shift
fi
if (($# > 1)); then
  echo "fuzz.sh: usage: scripts/fuzz.sh [--ci] [SECONDS] (got: $*)" >&2
  exit 2
fi
seconds=${1:-$([[ $scope == codec ]] && echo 3 || echo 60)}
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: SECONDS must be a positive whole number, not '$seconds'" >&2; exit 2; }
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
./scripts/setup.sh --fuzz >/dev/null
cmake --preset fuzz >/dev/null
if [[ $scope == codec ]]; then
  cmake --build build-fuzz --target fuzz_codec
  list=build-fuzz/fuzz/codec-targets.txt
else
  cmake --build --preset fuzz
  list=build-fuzz/fuzz/targets.txt
fi

# The virtual card and the mock ONS need the test PKI: made once, kept in the build tree.
export ONSHI_TEST_PKI="$root/build-fuzz/test-pki"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

dictionary_of() {
  case "$1" in
    fuzz_ons_xml | fuzz_ons_sjis | fuzz_mock_ons_request | fuzz_terminal_request) echo fuzz/dict/xml.dict ;;
    fuzz_ons_json | fuzz_fault_plan) echo fuzz/dict/json.dict ;;
    fuzz_apdu_card | fuzz_apdu_host) echo fuzz/dict/apdu.dict ;;
    fuzz_rig | fuzz_scenarios | fuzz_interface_profile | fuzz_population | fuzz_reader_identity | \
      fuzz_optest_checklist | fuzz_optest_answers) echo fuzz/dict/toml.dict ;;
    *) echo "" ;;
  esac
}

failed=0
ran=0
printf '%-24s %-8s %8s %12s  %s\n' target result seconds runs note
while read -r name; do
  [[ -n "$name" ]] || continue
  binary="build-fuzz/fuzz/$name"
  ran=$((ran + 1))
  work="build-fuzz/fuzz-runs/$name"
  mkdir -p "$work/corpus"
  args=(-max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/")
  dict=$(dictionary_of "$name")
  [[ -n "$dict" ]] && args+=(-dict="$dict")
  seeds=()
  [[ -d "fuzz/corpus/$name" ]] && seeds+=("fuzz/corpus/$name")
  start=$SECONDS
  if "$binary" "${args[@]}" "$work/corpus" "${seeds[@]}" >"$work/log" 2>&1; then
    result=clean
    note=""
  else
    result=FOUND
    note=$(ls -t "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* 2>/dev/null | head -1 || true)
    note="${note:-see $work/log}"
    failed=1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
  printf '%-24s %-8s %8s %12s  %s\n' "$name" "$result" "$((SECONDS - start))" "${runs:-?}" "$note"
  if [[ $result == FOUND ]]; then
    grep -m1 -A12 -E '^==[0-9]+==ERROR|runtime error|deadly signal|ERROR: libFuzzer' "$work/log" | sed 's/^/    /' || true
  fi
done <"$list"
# A list that named nothing fuzzed nothing: that is a broken build, not a clean run.
if ((ran == 0)); then
  echo "fuzz.sh: $list names no target: nothing was fuzzed" >&2
  exit 1
fi
exit "$failed"
