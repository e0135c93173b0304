# shellcheck shell=bash disable=SC2034,SC2154  # sourced: the callers set work and cli and use what this sets
# Sourced by the scripts of benches/ons: the test PKI, the request every client sends, nginx
# started on the same certificates, and the medians of alternating rounds.
# The caller sets `work` (a temporary folder), `cli` (onshi-hil) and `pids` (an array the
# caller's EXIT trap kills), and has `set -euo pipefail`.

# Makes the test PKI and the request; sets pki, facility, ca, cert, key, path.
bench_pki_and_request() {
  pki="$work/pki"
  "$cli" pki --out "$pki" >/dev/null
  facility=$(python3 -c "import json;print(json.load(open('$pki/manifest.json'))['facilities'][0]['code'])")
  ca="$pki/ons-ca/cert.pem"; cert="$pki/terminals/$facility/cert.pem"; key="$pki/terminals/$facility/key.pem"
  # An insurance-card search inquiry: no per-request card signature to precompute.
  local today
  today=$(TZ=Asia/Tokyo date +%Y%m%d)
  cat >"$work/request.xml" <<XML
<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<XmlMsg><MessageHeader><QualificationConfirmationDate>$today</QualificationConfirmationDate><MedicalInstitutionCode>$facility</MedicalInstitutionCode><ArbitraryFileIdentifier>BENCH</ArbitraryFileIdentifier></MessageHeader><MessageBody><QualificationConfirmSearchInfo><InsurerNumber>06132013</InsurerNumber><InsuredCardSymbol>101</InsuredCardSymbol><InsuredIdentificationNumber>2345</InsuredIdentificationNumber><InsuredBranchNumber>00</InsuredBranchNumber><Birthdate>19850412</Birthdate><LimitApplicationCertificateRelatedConsFlg>0</LimitApplicationCertificateRelatedConsFlg></QualificationConfirmSearchInfo></MessageBody></XmlMsg>
XML
  path=/onshi/v1/qualification/search
}

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# start_nginx PORT VERIFY ANSWER: nginx with 2 workers (as the mock's 2 threads) on the test
# PKI's server certificate, answering every request to $path with the file ANSWER (a POST
# too); VERIFY is nginx's ssl_verify_client (on: mTLS as the mock; optional: clients without
# a certificate, such as wrk, get in). No session resumption, as the mock's bench runs.
start_nginx() {
  local port=$1 verify=$2 answer=$3 dir="$work/nginx-$1"
  mkdir -p "$dir"
  chmod 755 "$work" "$dir"  # nginx workers run unprivileged and must read the answer
  cat >"$dir/nginx.conf" <<CONF
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  server {
    listen 127.0.0.1:$port ssl;
    ssl_certificate $pki/ons-server/chain.pem;
    ssl_certificate_key $pki/ons-server/key.pem;
    ssl_client_certificate $pki/terminal-ca/cert.pem;
    ssl_verify_client $verify;
    ssl_protocols TLSv1.2 TLSv1.3;
    keepalive_requests 1000000;
    ssl_session_tickets off;
    ssl_session_cache off;
    location $path { default_type application/xml; alias $answer; error_page 405 =200 \$uri; }
  }
}
CONF
  nginx -c "$dir/nginx.conf" -g 'daemon off;' &
  pids+=($!)
  for _ in $(seq 50); do [[ -s $dir/nginx.pid ]] && break; sleep 0.1; done
  [[ -s $dir/nginx.pid ]] || { echo "nginx did not start: $(cat "$dir/error.log" 2>/dev/null)" >&2; exit 1; }
  sleep 0.3
}

field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$2"; }

# The line whose rps= is the median of the lines read (its p50/p99 come with it).
median_run() {
  python3 -c '
import re, sys
runs = [l for l in sys.stdin.read().splitlines() if "rps=" in l]
runs.sort(key=lambda l: float(re.search(r"rps=([0-9.]+)", l).group(1)))
print(runs[len(runs) // 2] if runs else "")'
}

ratio() { python3 -c "a,b=float('$1' or 0),float('$2' or 0);print(f'{a/b:.2f}' if b else 'n/a')"; }
