#!/usr/bin/env bash
# The include rule of docs/architecture.md ("Layers"), checked: every library area under
# harness/ includes only areas of lower layers; nothing under harness/ but the CLI includes a
# mock or the testing library; mocks include neither the rig, the CLI nor the testing library;
# a quoted include without the onshi/ prefix names a file beside the includer (so no file
# reaches into another folder's private headers); and no file cites notes that are not in the
# repository. Prints each offence as FILE:LINE: what, and exits 1 if there is any.
#
#   scripts/check-layers.sh [ROOT]     (ROOT: the source tree, default: this script's repository)
set -uo pipefail
root=${1:-"$(cd "$(dirname "$0")/.." && pwd)"}
cd "$root" || exit 2

# Layer of each harness area, bottom-up. An area may include areas of a lower layer only.
declare -A layer=(
  [core]=0
  [config]=1 [crypto]=1 [run]=1 [sut]=1
  [iso7816]=2 [usb]=2 [tls]=2
  [jpki]=3 [ccid]=3 [ons]=3
  [population]=4 [reader]=4
  [pki]=5
  [flow]=6 [terminal]=6
  [report]=7 [links]=7 [receipt]=7
  [rig]=8 [load]=8
  [doctor]=9 [receipt_computer_check]=9
  [optest]=10  # above the doctor (9), whose preflight it calls
)
top_of_mocks=7  # mocks (and their link backends) sit beside links, below the rig

offences=0
offend() {
  echo "$1: $2"
  offences=$((offences + 1))
}

# area_of FILE: the harness area a file belongs to ("" outside harness/include|src).
area_of() {
  case "$1" in
    harness/include/onshi/*) local rest=${1#harness/include/onshi/}; echo "${rest%%/*}" ;;
    harness/src/*) local rest=${1#harness/src/}; echo "${rest%%/*}" ;;
    *) echo "" ;;
  esac
}

while IFS= read -r -d '' file; do
  area=$(area_of "$file")
  while IFS=: read -r line text; do
    [[ -z "$line" ]] && continue
    target=$(sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]+"([^"]+)".*/\1/' <<<"$text")
    if [[ "$target" == onshi/* ]]; then
      included=${target#onshi/}
      included=${included%%/*}
    else
      # A private header: it must sit beside the file that includes it.
      if [[ ! -f "$(dirname "$file")/$target" ]]; then
        offend "$file:$line" "includes \"$target\", which is not beside it (a private header of another folder)"
      fi
      continue
    fi
    case "$file" in
      harness/cli/*)
        [[ "$included" == testing ]] && offend "$file:$line" "the CLI includes the testing library ($target)"
        ;;
      harness/*)
        if [[ "$included" == mocks || "$included" == testing || "$included" == cli ]]; then
          offend "$file:$line" "harness area '$area' includes $target: only the CLI may use mocks/ or testing/"
        elif [[ -z "${layer[$area]+x}" ]]; then
          offend "$file:$line" "area '$area' has no layer in scripts/check-layers.sh: add it"
        elif [[ "$included" != "$area" ]]; then
          if [[ -z "${layer[$included]+x}" ]]; then
            offend "$file:$line" "includes $target of unknown area '$included'"
          elif ((layer[$included] >= layer[$area])); then
            offend "$file:$line" "area '$area' (layer ${layer[$area]}) includes $target of area '$included' (layer ${layer[$included]}): layers include only layers below"
          fi
        fi
        ;;
      mocks/*)
        if [[ "$included" == testing || "$included" == cli || "$included" == rig ]]; then
          offend "$file:$line" "a mock includes $target: mocks sit below the rig, the CLI and the testing library"
        elif [[ "$included" != mocks && -n "${layer[$included]+x}" ]] && ((layer[$included] > top_of_mocks)); then
          offend "$file:$line" "a mock includes $target of area '$included' (layer ${layer[$included]})"
        fi
        ;;
    esac
  done < <(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]+"' "$file")
done < <(find harness mocks -type f \( -name '*.hpp' -o -name '*.cpp' -o -name '*.h' \) -print0 2>/dev/null)

# Citations must point into the repository.
while IFS= read -r hit; do
  offend "${hit%%:*}:$(cut -d: -f2 <<<"$hit")" "cites a file outside the repository: $(cut -d: -f3- <<<"$hit" | sed -E 's/^[[:space:]]+//' | cut -c1-100)"
done < <(grep -rnE '(DESIGN|DOMAIN)\.md' --include='*.cpp' --include='*.hpp' --include='*.h' --include='*.txt' \
  --include='*.cmake' --include='*.md' --include='*.toml' --include='*.sh' --include='*.json' \
  harness mocks testing tests benches fixtures rigs scripts cmake docs examples README.md CMakeLists.txt 2>/dev/null |
  grep -v '^scripts/check-layers.sh:')

if ((offences > 0)); then
  echo "check-layers: $offences offence(s) of the include rule (docs/architecture.md, \"Layers\")"
  exit 1
fi
echo "check-layers: every include runs downwards"
