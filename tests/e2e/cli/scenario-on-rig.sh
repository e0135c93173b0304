#!/usr/bin/env bash
# scenario-on-rig.sh CLI SCENARIO CATALOGUE SOURCE_DIR OUT_DIR [run options...]
# One catalogue scenario as `onshi-hil run --scenario SCENARIO`, on the default emulated rig or,
# when ONSHI_RIG names a rig file, on that rig (a relative path is taken from the source tree's
# root, where rigs/ is: `ONSHI_RIG=rigs/my-lab.toml ctest -L e2e`). A scenario that needs what
# the rig lacks exits 77, which ctest reports as skipped, with the reason on the first line:
# on a rig whose [card] is physical (a lab's test card, or an export of `onshi-hil emulate
# reader --patient P`), the card holds one patient, ONSHI_RIG_PATIENT (default P001); a scenario
# for another patient, one that shapes the card (`card = {...}`), one on the face or 目視確認
# path (特定機関認証 needs a card that trusts the test terminal CA) or one that locks the PIN
# cannot run there.
set -euo pipefail
cli=$1 scenario=$2 catalogue=$3 source_dir=$4 out=$5
shift 5

rig_args=()
if [[ -n ${ONSHI_RIG:-} ]]; then
  rig=$ONSHI_RIG
  [[ $rig == /* ]] || rig=$source_dir/$rig
  if [[ ! -f $rig ]]; then
    echo "scenario-on-rig: ONSHI_RIG=$ONSHI_RIG: no such file: $rig" >&2
    exit 2
  fi
  rig_args=(--rig "$rig")
  # The [card] table's kind (default virtual).
  card_kind=$(awk '/^\[/ {in_card = ($0 ~ /^\[card\]/)} in_card && /^kind *=/ {gsub(/.*= *"|".*/, ""); print; exit}' "$rig")
  if [[ ${card_kind:-virtual} == physical ]]; then
    # The scenario's own table in the catalogue, from its name line to the next [[scenario]].
    block=$(awk -v name="$scenario" '/^\[\[scenario\]\]/ {on = 0} $0 ~ "^name = \"" name "\"" {on = 1} on' "$catalogue")
    patient=$(sed -n 's/^patient = "\(.*\)"/\1/p' <<<"$block")
    card_patient=${ONSHI_RIG_PATIENT:-P001}
    skip() { echo "SKIPPED: scenario $scenario on rig $rig (a physical card): $1"; exit 77; }
    [[ $patient == "$card_patient" ]] || skip "it needs patient $patient's card; the rig's card is $card_patient's (ONSHI_RIG_PATIENT)"
    grep -q '^card = ' <<<"$block" && skip "it shapes the virtual card ($(grep '^card = ' <<<"$block"))"
    grep -qE '^identity = .*path = "(face|visual)"' <<<"$block" && skip "the face and 目視確認 paths need 特定機関認証 with the test terminal CA, which only the virtual card trusts"
    grep -qE '^expect = .*reason_contains = "blocked"' <<<"$block" && skip "it locks the card's PIN, which would leave a physical test card locked"
  fi
fi
mkdir -p "$out"
exec "$cli" run --scenario "$scenario" "${rig_args[@]}" --output "$out/$scenario" --record "$out/$scenario.json" "$@"
