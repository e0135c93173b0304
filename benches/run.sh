#!/usr/bin/env bash
# Benchmarks for CI in one folder a job can publish (docs/load.md, "Benchmarks in CI"):
# every Google Benchmark suite with --benchmark_out JSON (repetitions, so `onshi-hil report
# compare` can test them), a short `onshi-hil load` run, and what the figures depend on (load
# average, CPU, `openssl speed rsa2048` from the same moment). Nothing here asserts a speed.
#
#   benches/run.sh [BUILD_DIR] [OUT_DIR]        defaults: build, BUILD_DIR/bench-results
#   REPETITIONS=5 MIN_TIME=0.2 LOAD_RATE=20 LOAD_SECONDS=5 benches/run.sh
#   build/harness/cli/onshi-hil report compare old/bench_reception.json new/bench_reception.json
set -euo pipefail

build="${1:-build}"
out="${2:-$build/bench-results}"
repetitions="${REPETITIONS:-3}"
min_time="${MIN_TIME:-0.1}"
cli="$build/harness/cli/onshi-hil"

if [[ ! -x "$cli" ]]; then
  echo "benches/run.sh: no $cli; build first (cmake --build $build)" >&2
  exit 2
fi
mkdir -p "$out"
pki="${ONSHI_TEST_PKI:-$build/test-pki}"
"$cli" pki --out "$pki" --reuse > /dev/null
export ONSHI_TEST_PKI="$pki"

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "uptime: $(uptime)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
  echo "cores: $(nproc)"
  echo "revision: $(git -C "$(dirname "$0")/.." rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "openssl speed rsa2048 (1 s):"
  openssl speed -seconds 1 rsa2048 2>/dev/null | tail -2
} > "$out/machine.txt"

status=0
while IFS= read -r bench; do
  name="$(basename "$bench")"
  [[ "$name" == always_failing_bench ]] && continue  # the self-test of the bench main fails on purpose
  echo "benches/run.sh: $name"
  if ! "$bench" --benchmark_out="$out/$name.json" --benchmark_out_format=json \
       --benchmark_repetitions="$repetitions" --benchmark_min_time="$min_time" > "$out/$name.txt" 2>&1; then
    echo "benches/run.sh: $name failed (see $out/$name.txt)" >&2
    status=1
  fi
done < <(find "$build/benches" -type f -executable -name 'bench_*' | sort)

echo "benches/run.sh: a short load run"
if ! "$cli" load --rate "${LOAD_RATE:-20}" --duration "${LOAD_SECONDS:-5}" --readers 2 --out "$out/load" \
     --pki "$pki" > "$out/load.txt" 2>&1; then
  echo "benches/run.sh: the load run failed (see $out/load.txt)" >&2
  status=1
fi
echo "uptime after: $(uptime)" >> "$out/machine.txt"
echo "benches/run.sh: results in $out (*.json for report compare, load/summary.md, load/report.html, machine.txt)"
exit "$status"
