#!/usr/bin/env bash
# The Debian package on a real system (CI: fresh Debian 12, root, after ./scripts/test.sh):
# builds onshi-hil_*.deb from BUILD_DIR (default build/) with cpack, installs it with
# `apt install ./onshi-hil_*.deb`, runs `onshi-hil --version`, an operational test and a
# reception from a scratch folder under /tmp (no source tree, no ONSHI_* variables, a fresh
# HOME), then `dpkg -r onshi-hil` and checks that none of its files is left.
#   usage: scripts/check-deb.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=$(realpath "${1:-build}")
[[ -f "$build/CPackConfig.cmake" ]] || { echo "check-deb: no $build/CPackConfig.cmake: build first (./scripts/test.sh)"; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "check-deb: installs a package: run as root"; exit 2; }
if dpkg-query -W -f='${Status}' onshi-hil 2>/dev/null | grep -q "ok installed"; then
  echo "check-deb: onshi-hil is already installed; remove it first (dpkg -r onshi-hil)"; exit 2
fi

work=$(mktemp -d /tmp/onshi-hil-check-deb.XXXXXX)
cleanup() {
  dpkg-query -W -f='${Status}' onshi-hil 2>/dev/null | grep -q "ok installed" && dpkg -r onshi-hil >/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
step() { echo "check-deb: $*"; }
die() { echo "check-deb: FAILED: $*"; exit 1; }

step "cpack -G DEB from $build"
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/cpack" >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; die "cpack"; }
debs=("$work"/cpack/onshi-hil_*.deb)
[[ -f "${debs[0]}" ]] || die "cpack made no onshi-hil_*.deb"
cp "${debs[0]}" "$work/"
deb=./$(basename "${debs[0]}")

step "apt install $deb"
dpkg-query -W -f='${Package}\n' | sort >"$work/packages-before"
(cd "$work" && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb") || die "apt install $deb"
dpkg-query -W -f='${Package}\n' | sort >"$work/packages-after"
dpkg -L onshi-hil | while read -r path; do if [[ -f "$path" ]]; then echo "$path"; fi; done >"$work/files"
[[ "$(command -v onshi-hil)" == /usr/bin/onshi-hil ]] || die "onshi-hil is not /usr/bin/onshi-hil on PATH"

step "onshi-hil from $work/cwd"
mkdir -p "$work/cwd" "$work/home"
(
  cd "$work/cwd"
  export HOME=$work/home
  unset ONSHI_FIXTURES_DIR ONSHI_RIGS_DIR ONSHI_TEST_PKI
  onshi-hil --version
  onshi-hil optest --evidence evidence
  onshi-hil run --record record.json
  onshi-hil evidence verify evidence
) || die "the installed onshi-hil failed (above)"

step "dpkg -r onshi-hil"
dpkg -r onshi-hil >/dev/null || die "dpkg -r onshi-hil"
! dpkg-query -W -f='${Status}' onshi-hil 2>/dev/null | grep -q "ok installed" || die "onshi-hil is still installed"
left=$(while read -r path; do if [[ -e "$path" ]]; then echo "$path"; fi; done <"$work/files")
[[ -z "$left" ]] || die "files left after dpkg -r: $left"
[[ ! -e /usr/share/onshi-hil ]] || die "/usr/share/onshi-hil is left after dpkg -r"
added=$(comm -13 "$work/packages-before" "$work/packages-after" | grep -vx onshi-hil || true)
[[ -z "$added" ]] || step "apt also installed (dependencies, kept as apt does): $(tr '\n' ' ' <<<"$added")"
step "passed: installed, ran from /tmp, removed $(wc -l <"$work/files") files cleanly"
