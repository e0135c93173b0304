#!/usr/bin/env bash
# Builds the guest's initramfs for the vm test (docs/vm-test.md), at test time, from this
# host's Debian packages: busybox-static as the shell and tools, the kernel's own modules for
# USB core, usbip-core, vhci-hcd and virtio-net (with their modprobe dependencies from
# modules.dep, in load order), the usbip tool, pcscd + libccid + OpenSC, a stripped onshi-hil,
# every shared library they need (ldd, plus what they dlopen), the test PKI, fixtures and rigs.
#
#   make-initramfs.sh OUT.cpio.gz KERNEL_VERSION ONSHI_HIL PKI_DIR FIXTURES_DIR RIGS_DIR GUEST_INIT GUEST_RIG
#
# Exit 0: written. Exit 77: something the guest needs is not installed (the line says what and
# which Debian package has it; scripts/setup.sh installs them all). Exit 1: anything else.
set -euo pipefail

if (($# != 8)); then
  echo "usage: $0 OUT.cpio.gz KERNEL_VERSION ONSHI_HIL PKI_DIR FIXTURES_DIR RIGS_DIR GUEST_INIT GUEST_RIG" >&2
  exit 1
fi
out=$1 kver=$2 onshi_hil=$3 pki=$4 fixtures=$5 rigs=$6 guest_init=$7 guest_rig=$8

missing() { echo "missing: $1 (Debian package $2; scripts/setup.sh installs it)"; exit 77; }
moddir=/lib/modules/$kver
[[ -f $moddir/modules.dep ]] || missing "$moddir/modules.dep" "linux-image-amd64"
[[ -x /bin/busybox ]] || missing "/bin/busybox" "busybox-static"
ldd /bin/busybox >/dev/null 2>&1 && missing "a static /bin/busybox (this one is dynamic)" "busybox-static"
for tool in /usr/sbin/usbip:usbip /usr/sbin/pcscd:pcscd /usr/bin/opensc-tool:opensc /usr/bin/pkcs15-tool:opensc; do
  [[ -x ${tool%%:*} ]] || missing "${tool%%:*}" "${tool##*:}"
done
ccid_bundle=/usr/lib/pcsc/drivers/ifd-ccid.bundle
[[ -f $ccid_bundle/Contents/Linux/libccid.so ]] || missing "$ccid_bundle" "libccid"
pcsclite=$(ls /usr/lib/x86_64-linux-gnu/libpcsclite.so.1 2>/dev/null || true)
[[ -n $pcsclite ]] || missing "libpcsclite.so.1" "libpcsclite1"
for f in "$onshi_hil" "$guest_init" "$guest_rig" "$pki/manifest.json" "$fixtures" "$rigs"; do
  [[ -e $f ]] || { echo "make-initramfs: no such file: $f" >&2; exit 1; }
done

root=$(mktemp -d "${out}.root.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,proc,sys,dev,run,tmp,var/run,etc,onshi,lib/modules}

# busybox and its applets (not overwriting the real programs copied below).
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do
  [[ -e $root/bin/$applet ]] || ln -s busybox "$root/bin/$applet"
done

# Kernel modules in load order: each one after the modules it depends on (modules.dep).
declare -A loaded=()
order=()
load() {
  local module=$1 line deps dep
  [[ -n ${loaded[$module]:-} ]] && return 0
  loaded[$module]=1
  line=$(grep -m1 "^${module}:" "$moddir/modules.dep") || { echo "make-initramfs: $module not in $moddir/modules.dep" >&2; exit 1; }
  deps=${line#*:}
  for dep in $deps; do load "$dep"; done
  order+=("$module")
}
for wanted in virtio_pci virtio_net vhci-hcd; do
  path=$(grep -m1 -E "/${wanted}\.ko(\.[a-z]+)?:" "$moddir/modules.dep" | cut -d: -f1) \
    || missing "module $wanted in $moddir" "linux-image-amd64"
  load "$path"
done
for module in "${order[@]}"; do
  mkdir -p "$root/lib/modules/$(dirname "$module")"
  cp "$moddir/$module" "$root/lib/modules/$module"
  echo "$module" >>"$root/lib/modules/load-order"
done

# Programs, their shared libraries and what they dlopen.
stripped=$root/usr/bin/onshi-hil
strip -o "$stripped" "$onshi_hil"
cp /usr/sbin/usbip /usr/sbin/pcscd "$root/usr/sbin/"
cp /usr/bin/opensc-tool /usr/bin/pkcs15-tool "$root/usr/bin/"
mkdir -p "$root$ccid_bundle/Contents/Linux"
cp "$ccid_bundle/Contents/Info.plist" "$root$ccid_bundle/Contents/"
cp "$ccid_bundle/Contents/Linux/libccid.so" "$root$ccid_bundle/Contents/Linux/"
[[ -f /etc/opensc/opensc.conf ]] && { mkdir -p "$root/etc/opensc"; cp /etc/opensc/opensc.conf "$root/etc/opensc/"; }
copy_libraries() {
  local lib
  for lib in $(ldd "$1" | grep -oE '/[^ ]+\.so[^ ]*'); do
    [[ -e $root$lib ]] && continue
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
}
for program in "$stripped" /usr/sbin/usbip /usr/sbin/pcscd /usr/bin/opensc-tool /usr/bin/pkcs15-tool \
               "$ccid_bundle/Contents/Linux/libccid.so" "$pcsclite"; do
  copy_libraries "$program"
done
mkdir -p "$root$(dirname "$pcsclite")"
cp -L "$pcsclite" "$root$pcsclite"
for opensc_lib in /usr/lib/x86_64-linux-gnu/libopensc.so.*; do
  [[ -e $opensc_lib ]] && cp -L "$opensc_lib" "$root$opensc_lib"
done
[[ -e $root/lib64/ld-linux-x86-64.so.2 ]] || cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"

# The harness's data and the test PKI (made at test time by the test_pki fixture).
cp -r "$fixtures" "$root/onshi/fixtures"
cp -r "$rigs" "$root/onshi/rigs"
cp -r "$pki" "$root/onshi/pki"
cp "$guest_rig" "$root/onshi/vm-rig.toml"
printf 'root:x:0:0:root:/:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"

cp "$guest_init" "$root/init"
chmod 0755 "$root/init"
(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
echo "initramfs: $out ($(du -h "$out" | cut -f1), ${#order[@]} modules: ${order[*]##*/})"
