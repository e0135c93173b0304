#!/usr/bin/env bash
# Is the project's load client fast enough to measure a server? (issue 12: onshi-ons-load must
# drive nginx at >= 0.9x the rate wrk reaches on the same machine.) nginx (2 workers) answers a
# fixed 2 kB file over TLS on the test PKI's server certificate; wrk (Debian's, 2 threads, the
# same POST through a Lua script that only sets the request once) and onshi-ons-load (2 epoll
# loops) take turns driving it with CONNECTIONS keep-alive connections for SECONDS, ROUNDS
# times each, and the medians are compared. nginx's ssl_verify_client is `optional` so wrk,
# which cannot present a client certificate, gets in; onshi-ons-load presents the terminal's
# (one handshake per connection, so it costs nothing per request).
#   benches/ons/bench_ons_load_vs_wrk.sh BUILD_DIR [SECONDS] [CONNECTIONS] [ROUNDS]
set -euo pipefail
build=${1:?usage: $0 BUILD_DIR [SECONDS] [CONNECTIONS] [ROUNDS]}
seconds=${2:-5}
conns=${3:-16}
rounds=${4:-3}
cli="$build/harness/cli/onshi-hil"
load="$build/benches/ons/onshi-ons-load"
for b in "$cli" "$load"; do [[ -x $b ]] || { echo "missing $b (build it first)" >&2; exit 1; }; done
for t in nginx wrk; do command -v "$t" >/dev/null || { echo "$t not installed (scripts/setup.sh)" >&2; exit 1; }; done

work=$(mktemp -d /tmp/onshi-wrk-bench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
# shellcheck source=benches/ons/bench_common.sh
source "$(dirname "$0")/bench_common.sh"
bench_pki_and_request

python3 -c "print('<?xml version=\"1.0\"?><XmlMsg>' + 'x' * 2000 + '</XmlMsg>')" >"$work/answer.xml"
port=$(free_port)
start_nginx "$port" optional "$work/answer.xml"

cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/xml"
local f = io.open("$work/request.xml", "rb")
wrk.body = f:read("*a")
f:close()
LUA

# wrk's "Requests/sec" and its error counts, in onshi-ons-load's line format.
wrk_run() {
  local out
  out=$(wrk -t 2 -c "$conns" -d "${seconds}s" --latency -s "$work/post.lua" "https://127.0.0.1:$port$path") ||
    { echo "wrk FAILED" >&2; exit 1; }
  python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]
rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))
m = re.search(r"(\d+) requests in", out)
errors = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
errors += int(re.search(r"Non-2xx or 3xx responses: (\d+)", out).group(1)) if "Non-2xx" in out else 0
def us(label):
    v = re.search(r"\s%s\s+([0-9.]+)(us|ms|s)\b" % label, out)
    return 0 if not v else round(float(v.group(1)) * {"us": 1, "ms": 1e3, "s": 1e6}[v.group(2)])
print(f"mode=wrk requests={m.group(1)} errors={errors} rps={rps} p50_us={us('50%')} p99_us={us('99%')}")
if errors:
    sys.exit(f"wrk saw {errors} errors")
PY
}
ours_run() {
  "$load" --port "$port" --path "$path" --body "$work/request.xml" --ca "$ca" --cert "$cert" --key "$key" \
    --seconds "$seconds" --mode keepalive --connections "$conns" --threads 2 || { echo "onshi-ons-load FAILED" >&2; exit 1; }
}

# One answer checked first: nginx serves the file to a POST, with and without a client certificate.
curl -sS --cacert "$ca" -H 'Content-Type: application/xml' --data-binary @"$work/request.xml" \
  "https://127.0.0.1:$port$path" | cmp -s - "$work/answer.xml" || { echo "nginx did not answer the POST" >&2; exit 1; }

echo "== load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "== nginx, $conns keep-alive connections, ${seconds}s a round, wrk and onshi-ons-load alternating"
w_all=""; o_all=""
for ((i = 1; i <= rounds; i++)); do
  r=$(wrk_run); echo "  wrk            #$i: $r"; w_all+="$r"$'\n'
  r=$(ours_run); echo "  onshi-ons-load #$i: $r"; o_all+="$r"$'\n'
done
w=$(median_run <<<"$w_all"); o=$(median_run <<<"$o_all")
echo "wrk           : $w"
echo "onshi-ons-load: $o"
r=$(ratio "$(field rps "$o")" "$(field rps "$w")")
echo "== onshi-ons-load / wrk: ${r}x (goal >= 0.90): $(python3 -c "print('met' if float('$r') >= 0.9 else 'NOT met')")"
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
