#!/bin/sh
# /init of the vm test's guest (docs/vm-test.md). Attaches the host's emulated reader
# through the kernel's vhci-hcd and reads it two ways; every result is a line on the serial
# console, "ONSHI-VM: step NAME ok|fail DETAIL", that the host test parses. Every wait is
# bounded; the guest always ends with "ONSHI-VM: done" and a reboot, which QEMU's -no-reboot
# turns into an exit. The kernel hands its command line's name=value words to init as
# environment variables: onshi_port and onshi_busid name the host's USB/IP export.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
export ONSHI_FIXTURES_DIR=/onshi/fixtures ONSHI_RIGS_DIR=/onshi/rigs
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mkdir -p /var/run/vhci_hcd /run/pcscd
exec </dev/console >/dev/console 2>&1

say() { echo "ONSHI-VM: $*"; }
finish() {
  say done
  sync
  reboot -f
  sleep 60
}
fail() { say "step $1 fail $2"; finish; }
# wait_for SECONDS COMMAND...: runs COMMAND every 0.2 s until it succeeds or time is up.
wait_for() {
  tries=$(($1 * 5)); shift
  while [ "$tries" -gt 0 ]; do
    "$@" >/dev/null 2>&1 && return 0
    tries=$((tries - 1))
    sleep 0.2
  done
  return 1
}

say "guest up: kernel $(uname -r)"
while read -r module; do
  insmod "/lib/modules/$module" || fail modules "insmod $module"
done </lib/modules/load-order
say "step modules ok $(wc -l </lib/modules/load-order) loaded"

wait_for 20 test -e /sys/class/net/eth0 || fail network "no eth0 (virtio-net did not probe)"
ip link set lo up
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
ip route add default via 10.0.2.2
say "step network ok 10.0.2.15 via 10.0.2.2"

# The real usbip tool imports the export and hands the socket to vhci-hcd.
usbip --tcp-port "$onshi_port" attach -r 10.0.2.2 -b "$onshi_busid" || fail attach "usbip attach -r 10.0.2.2 -b $onshi_busid (port $onshi_port) failed"
say "step attach ok busid $onshi_busid from 10.0.2.2:$onshi_port"

reader_sysfs() {
  for d in /sys/bus/usb/devices/*; do
    [ -f "$d/idVendor" ] && [ "$(cat "$d/idVendor"):$(cat "$d/idProduct")" = "$1" ] && { echo "$d"; return 0; }
  done
  return 1
}
has_reader() { reader_sysfs "$onshi_vidpid" >/dev/null; }
wait_for 30 has_reader || { dmesg | tail -20; fail enumerate "no USB device $onshi_vidpid after 30 s"; }
dev=$(reader_sysfs "$onshi_vidpid")
wait_for 10 test -e "/dev/bus/usb/$(printf %03d "$(cat "$dev/busnum")")/$(printf %03d "$(cat "$dev/devnum")")" \
  || fail enumerate "no usbfs node for $dev"
say "step enumerate ok $onshi_vidpid at $(basename "$dev") speed $(cat "$dev/speed") Mb/s product \"$(cat "$dev/product")\" serial \"$(cat "$dev/serial")\" interface class $(cat "$dev"/*:1.0/bInterfaceClass)"

# (a) pcscd + libccid bind the reader, OpenSC's jpki driver reads the card.
pcscd --foreground >/tmp/pcscd.log 2>&1 &
pcscd_pid=$!
reader_listed() { opensc-tool --list-readers 2>/dev/null | grep -q "Yes"; }
if ! wait_for 30 reader_listed; then
  cat /tmp/pcscd.log
  opensc-tool --list-readers
  fail pcscd "pcscd + libccid show no reader with a card after 30 s"
fi
say "step pcscd ok $(opensc-tool --list-readers | grep Yes | sed 's/  */ /g')"
# The first line names the reader it used, the last the card driver's name for the card.
card_name=$(opensc-tool --name 2>&1) || fail opensc "opensc-tool --name: $card_name"
card_name=$(echo "$card_name" | tail -n 1)
say "step opensc ok card driver \"$card_name\""
pkcs15-tool --list-certificates >/tmp/certs.txt 2>&1 || { cat /tmp/certs.txt; fail certificates "pkcs15-tool --list-certificates failed"; }
cat /tmp/certs.txt
auth_id=$(awk '/User Authentication Certificate/ {found = 1} found && /ID/ {print $NF; exit}' /tmp/certs.txt)
[ -n "$auth_id" ] || fail certificates "no User Authentication Certificate listed"
pkcs15-tool --read-certificate "$auth_id" >/tmp/auth.pem 2>/tmp/auth.err || { cat /tmp/auth.err; fail certificates "pkcs15-tool --read-certificate $auth_id failed"; }
auth_sha256=$(sed -n '/BEGIN CERTIFICATE/,/END CERTIFICATE/p' /tmp/auth.pem | grep -v CERTIFICATE | base64 -d | sha256sum | cut -d' ' -f1)
say "step certificates ok $(grep -c 'X.509 Certificate' /tmp/certs.txt) listed, auth id $auth_id sha256 $auth_sha256"

# pcscd must let the reader go before the harness claims it through usbfs.
pcscd_gone() { [ ! -d "/proc/$pcscd_pid" ] || grep -q ') Z' "/proc/$pcscd_pid/stat"; }
kill "$pcscd_pid"
wait_for 10 pcscd_gone || { say "pcscd did not stop on SIGTERM"; kill -9 "$pcscd_pid"; }
wait "$pcscd_pid" 2>/dev/null

# (b) the harness's libusb backend runs a whole reception through usbfs.
mkdir -p /tmp/out
timeout 180 onshi-hil run --rig /onshi/vm-rig.toml --pki /onshi/pki --output /tmp/out --record /tmp/record.json
status=$?
if [ "$status" -eq 0 ]; then
  say "step reception ok onshi-hil run exit 0, $(ls /tmp/out/face | wc -l) face file(s)"
else
  say "step reception fail onshi-hil run exit $status"
fi
finish
