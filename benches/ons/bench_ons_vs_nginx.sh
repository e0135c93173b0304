#!/usr/bin/env bash
# The mock ONS against nginx (Debian) on this machine, in one run: both serve the same XML
# over mTLS with the same test-PKI certificates (server cert from ons-server/, client certs
# required and verified against terminal-ca/), and both are driven by onshi-ons-load, the
# project's own load client (epoll loops, as wrk; bench_ons_load_vs_wrk.sh checks it keeps
# up with wrk). nginx answers a fixed copy of the mock's answer.
#   benches/ons/bench_ons_vs_nginx.sh BUILD_DIR [SECONDS] [CONNECTIONS] [ROUNDS]
# Prints req/s, p50/p99 at CONNECTIONS keep-alive connections, full handshakes/s, the
# mock/nginx ratios, and the mock's RSS with 1,000 idle connections. Each measurement runs
# ROUNDS times (default 3), mock and nginx alternating, and the medians are compared: the
# machine is shared, and alternating spreads any background load over both servers.
set -euo pipefail
build=${1:?usage: $0 BUILD_DIR [SECONDS] [CONNECTIONS]}
seconds=${2:-5}
conns=${3:-16}
rounds=${4:-3}
cli="$build/harness/cli/onshi-hil"
mock="$build/mocks/ons/onshi-ons-mock"
load="$build/benches/ons/onshi-ons-load"
for b in "$cli" "$mock" "$load"; do [[ -x $b ]] || { echo "missing $b (build it first)" >&2; exit 1; }; done
command -v nginx >/dev/null || { echo "nginx not installed (scripts/setup.sh)" >&2; exit 1; }

work=$(mktemp -d /tmp/onshi-bench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
# shellcheck source=benches/ons/bench_common.sh
source "$(dirname "$0")/bench_common.sh"
bench_pki_and_request

# --- mock -------------------------------------------------------------------------------
# Both servers run without session resumption (no cache, no stateless tickets): the load
# client never resumes, so a "full handshake" is what both measure, configured alike.
mock_port=$(free_port)
"$mock" --pki "$pki" --port "$mock_port" --threads 2 --no-session-resumption >"$work/mock.out" 2>/dev/null &
pids+=($!); mock_pid=$!
for _ in $(seq 50); do grep -q listening "$work/mock.out" 2>/dev/null && break; sleep 0.1; done
curl -sS --cacert "$ca" --cert "$cert" --key "$key" -H 'Content-Type: application/xml' \
  --data-binary @"$work/request.xml" "https://127.0.0.1:$mock_port$path" >"$work/answer.xml"
grep -q "<Name>" "$work/answer.xml" || { echo "mock did not answer the inquiry:" >&2; cat "$work/answer.xml" >&2; exit 1; }

# --- nginx: same certificates, same answer bytes, 2 workers like the mock's 2 threads ------
nginx_port=$(free_port)
start_nginx "$nginx_port" on "$work/answer.xml"

# A run that fails (no answer, or any error on a keep-alive connection) fails the bench.
run() {
  "$load" --port "$1" --path "$path" --body "$work/request.xml" --ca "$ca" --cert "$cert" --key "$key" \
    --seconds "$seconds" --mode "$2" --connections "$3" --threads 2 || { echo "onshi-ons-load FAILED on port $1" >&2; exit 1; }
}

measure() {  # MODE: alternate mock and nginx `rounds` times, print each and the medians
  local mode=$1 m_all="" n_all="" r
  for ((i = 1; i <= rounds; i++)); do
    r=$(run "$mock_port" "$mode" "$conns"); echo "  mock  #$i: $r" >&2; m_all+="$r"$'\n'
    r=$(run "$nginx_port" "$mode" "$conns"); echo "  nginx #$i: $r" >&2; n_all+="$r"$'\n'
  done
  printf '%s\n%s\n' "$(median_run <<<"$m_all")" "$(median_run <<<"$n_all")"
}

echo "== load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "== keep-alive inquiries, $conns connections, ${seconds}s each, median of $rounds"
{ read -r m_ka; read -r n_ka; } < <(measure keepalive)
echo "mock : $m_ka"; echo "nginx: $n_ka"
echo "== full handshakes, $conns threads, median of $rounds"
{ read -r m_hs; read -r n_hs; } < <(measure handshake)
echo "mock : $m_hs"; echo "nginx: $n_hs"

echo "== ratios (mock / nginx; goal >= 1.00)"
echo "inquiries/s : $(ratio "$(field rps "$m_ka")" "$(field rps "$n_ka")")"
echo "handshakes/s: $(ratio "$(field rps "$m_hs")" "$(field rps "$n_hs")")"

echo "== mock RSS with 1000 idle connections (goal <= 64 MB)"
rss_before=$(awk '/VmRSS/{print $2}' "/proc/$mock_pid/status")
"$load" --port "$mock_port" --path "$path" --body "$work/request.xml" --ca "$ca" --cert "$cert" --key "$key" \
  --mode idle --connections 1000 --seconds 4 >"$work/idle.out" 2>&1 &
idle_pid=$!
for _ in $(seq 300); do grep -q idle_ready "$work/idle.out" 2>/dev/null && break; sleep 0.1; done
sleep 0.5
rss_idle=$(awk '/VmRSS/{print $2}' "/proc/$mock_pid/status")
wait "$idle_pid" || true
head -1 "$work/idle.out"
echo "mock RSS: ${rss_before} kB before, ${rss_idle} kB with the idle connections ($((rss_idle / 1024)) MB)"
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
