#!/usr/bin/env bash
# sut-combination.sh CLI REFERENCE_RC NAME CATALOGUE OUT_DIR PKI_DIR
# One combination of fixtures/scenarios/sut.toml as the command a vendor would run: the
# reference receipt computer under `check-receipt-computer` (direction "receipt-computer"), or
# `onshi-hil terminal --reader` launched by the rig of `receipt-computer --receptions`
# (direction "terminal"). Passes when the command exits with the combination's `exit` and its
# output matches `expect`; otherwise prints both and fails.
set -euo pipefail
cli=$1 reference_rc=$2 name=$3 catalogue=$4 out=$5 pki=$6

# The combination's own table, from its name line to the next [[combination]].
block=$(awk -v name="$name" '/^\[\[combination\]\]/ {on = 0} $0 ~ "^name = \"" name "\"" {on = 1} on' "$catalogue")
[[ -n $block ]] || { echo "sut-combination: no combination '$name' in $catalogue" >&2; exit 2; }
value() { sed -n "s/^$1 = \"\\{0,1\\}\\([^\"]*\\)\"\\{0,1\\}\$/\\1/p" <<<"$block" | head -1; }
direction=$(value direction) expected_exit=$(value exit) expect=$(value expect)
expect=${expect//\\\\/\\}

dir=$out/$name
rm -rf "$dir" && mkdir -p "$dir"
case $direction in
  receipt-computer)
    consume_deadline_ms=$(value consume_deadline_ms)
    cat >"$dir/rig.toml" <<TOML
name = "sut-$name"
scenario = "pin-ok"
[facility]
code = "1312345678"
[pki]
dir = "$pki"
[output]
dir = "$dir/folders"
[sut]
command = ["$reference_rc", "--folder", "{output}", "--encoding", "utf-8", "--fault", "$(value fault)"]
ready = { stdout = "watching" }
ready_timeout = 60
stop_timeout = 10
consume_deadline_ms = ${consume_deadline_ms:-5000}
journal = "{output}/rc-journal.jsonl"
TOML
    command=("$cli" check-receipt-computer --rig "$dir/rig.toml" --record "$dir/record.json")
    ;;
  terminal)
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    cat >"$dir/terminal.toml" <<TOML
name = "sut-terminal"
scenario = "pin-ok"
[facility]
code = "1312345678"
[card]
kind = "physical"
[reader]
kind = "usbip"
server = "127.0.0.1:$port"
busid = "1-1"
[pki]
dir = "$pki"
[output]
dir = "$dir/terminal"
TOML
    cat >"$dir/rc.toml" <<TOML
name = "sut-rc"
[facility]
code = "1312345678"
[pki]
dir = "$pki"
[output]
dir = "$dir/terminal"
[sut]
command = ["$cli", "terminal", "--rig", "$dir/terminal.toml", "--reader", "--panel", "$dir/terminal/panel.toml"]
ready = { stdout = "serving reader" }
ready_timeout = 90
stop_timeout = 10
TOML
    {
      echo 'schema = "onshi-hil/receipt-receptions/1"'
      echo 'face_deadline_ms = 3000'
      IFS=, read -ra scenarios <<<"$(value receptions)"
      for scenario in "${scenarios[@]}"; do
        printf '[[reception]]\nname = "%s"\nscenario = "%s"\n' "$scenario" "$scenario"
        pins=$(value pins)
        [[ -z $pins ]] || printf 'pins = ["%s"]\n' "$pins"
      done
    } >"$dir/receptions.toml"
    printf 'schema = "onshi-hil/receipt-session/1"\n[[request]]\nname = "search.P001"\npatient = "P001"\n' >"$dir/session.toml"
    command=("$cli" receipt-computer --rig "$dir/rc.toml" --session "$dir/session.toml" --receptions "$dir/receptions.toml"
             --export-reader "127.0.0.1:$port" --record "$dir/record.json")
    ;;
  *) echo "sut-combination: $name: direction '$direction' is neither receipt-computer nor terminal" >&2; exit 2 ;;
esac

set +e
output=$("${command[@]}" 2>&1)
code=$?
set -e
echo "$output"
if [[ $code != "$expected_exit" ]]; then
  echo "sut-combination $name: exit $code, expected $expected_exit" >&2
  exit 1
fi
if ! grep -Eq -- "$expect" <<<"$output"; then
  echo "sut-combination $name: the output does not match: $expect" >&2
  exit 1
fi
echo "sut-combination $name: exit $code and the output matches as expected"
