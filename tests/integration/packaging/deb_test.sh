#!/usr/bin/env bash
# The Debian package: cpack builds it from BUILD; Debian's own dpkg-deb reads its control
# data and contents (lintian too, when installed); dpkg-deb -x extracts it and the extracted
# onshi-hil runs an operational test from a scratch folder under /tmp.
set -uo pipefail
build=$1 source_dir=$2 version=$3
work=$(mktemp -d /tmp/onshi-hil-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

start=$SECONDS
if ! cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/cpack" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log"; echo "FAIL: cpack -G DEB"; exit 1
fi
deb=$work/cpack/onshi-hil_${version}_$(dpkg --print-architecture).deb
[[ -f "$deb" ]] || { ls "$work/cpack"; echo "FAIL: no $deb"; exit 1; }
echo "built $(basename "$deb") ($(du -k "$deb" | cut -f1) KB) in $((SECONDS - start)) s"

info=$(dpkg-deb -I "$deb") || fail "dpkg-deb -I cannot read the package"
echo "$info" | sed -n '/Package:/,$p'
grep -q "^ Package: onshi-hil$" <<<"$info" || fail "control: Package is not onshi-hil"
grep -q "^ Version: $version$" <<<"$info" || fail "control: Version is not $version"
depends=$(sed -n 's/^ Depends: //p' <<<"$info")
for package in libc6 libstdc++6 libssl3 libusb-1.0-0 libpcsclite1; do
  grep -q "\b$package\b" <<<"$depends" || fail "Depends lacks $package (dpkg-shlibdeps): $depends"
done

contents=$(dpkg-deb -c "$deb") || fail "dpkg-deb -c cannot list the package"
for f in ./usr/bin/onshi-hil ./usr/bin/onshi-ons-mock ./usr/share/onshi-hil/rigs/emulated.toml \
         ./usr/share/onshi-hil/rigs/readers/generic-ccid.toml ./usr/share/onshi-hil/fixtures/scenarios/catalogue.toml \
         ./usr/share/onshi-hil/fixtures/optest/checklist.toml ./usr/share/man/man1/onshi-hil.1.gz \
         ./usr/lib/udev/rules.d/60-onshi-hil-readers.rules; do
  grep -q " $f$" <<<"$contents" || fail "the package lacks $f"
done
if grep -E ' \./usr/(local|include)/|\.a$|/cmake/' <<<"$contents"; then
  fail "the package holds development files or /usr/local paths"
fi
if command -v lintian >/dev/null; then
  lintian --no-tag-display-limit "$deb" || echo "lintian reported the tags above (not fatal)"
else
  echo "lintian not installed: skipped"
fi

dpkg-deb -x "$deb" "$work/root" || fail "dpkg-deb -x failed"
rule=$work/root/usr/lib/udev/rules.d/60-onshi-hil-readers.rules
for identity in "$source_dir"/rigs/readers/*.toml; do
  vid=$(sed -nE 's/^vendor_id *= *0[xX]([0-9A-Fa-f]+).*/\1/p' "$identity" | tr 'A-F' 'a-f')
  pid=$(sed -nE 's/^product_id *= *0[xX]([0-9A-Fa-f]+).*/\1/p' "$identity" | tr 'A-F' 'a-f')
  grep -q "ATTR{idVendor}==\"$vid\", ATTR{idProduct}==\"$pid\", MODE=\"0660\", GROUP=\"plugdev\"" "$rule" ||
    fail "the udev rule does not give plugdev $vid:$pid ($(basename "$identity"))"
done
man=$(zcat "$work/root/usr/share/man/man1/onshi-hil.1.gz") || fail "the man page is not gzip"
grep -q '^\.TH ONSHI-HIL "1"' <<<"$man" || fail "the man page has no .TH ONSHI-HIL 1 header"
grep -q 'optest' <<<"$man" || fail "the man page does not list the optest subcommand"

mkdir -p "$work/cwd" "$work/home"
cd "$work/cwd" || exit 2
export HOME=$work/home
unset ONSHI_FIXTURES_DIR ONSHI_RIGS_DIR
exe=$work/root/usr/bin/onshi-hil
out=$("$exe" --version 2>&1) || fail "--version exited $?"
[[ "$out" == "onshi-hil $version (revision "*")" ]] || fail "--version printed: $out"
echo "$out"
out=$("$exe" optest --evidence evidence 2>&1)
rc=$?
((rc == 0)) || fail "the extracted onshi-hil optest exited $rc: $out"
grep -q "operational test: PASSED" <<<"$out" || fail "optest did not pass: $out"

((failures == 0)) || exit 1
echo "the .deb is well formed and its onshi-hil runs from $work/cwd"
