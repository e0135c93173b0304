#!/usr/bin/env bash
# scripts/check-layers.sh must fail, naming file and line, on each kind of offence: a lower
# layer including a higher one, harness/ including a mock, a mock including the rig, a mock
# reaching into the CLI's folder, a citation of notes outside the repository. And it must pass
# the same tree once the offences are gone.
set -uo pipefail
checker=$1
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree"/harness/src/{usb,flow} "$tree"/harness/cli "$tree"/mocks/ons/src
printf '#include "onshi/core/error.hpp"\n#include "onshi/flow/reception_flow.hpp"\n' >"$tree/harness/src/usb/up.cpp"
printf '#include "onshi/mocks/card/patient_card.hpp"\n' >"$tree/harness/src/flow/mock.cpp"
printf '#include "onshi/links/registry.hpp"\n#include "onshi/rig/wired_rig.hpp"\n' >"$tree/mocks/ons/src/rig.cpp"
printf '#include "commands.hpp"\n' >"$tree/mocks/ons/src/cli.cpp"
printf '// see DESIGN%s section 2\n' .md >"$tree/harness/src/usb/cite.cpp"
printf '// the CLI may use anything\n#include "onshi/mocks/ons/serve.hpp"\n' >"$tree/harness/cli/ok.cpp"
touch "$tree/harness/cli/commands.hpp"

out=$("$checker" "$tree")
status=$?
fail=0
expect() {
  if ! grep -qF -- "$1" <<<"$out"; then
    echo "missing from the checker's output: $1"
    fail=1
  fi
}
[[ $status -eq 1 ]] || { echo "checker exited $status on an offending tree, want 1"; fail=1; }
expect "harness/src/usb/up.cpp:2: area 'usb' (layer 2) includes onshi/flow/reception_flow.hpp of area 'flow' (layer 6)"
expect "harness/src/flow/mock.cpp:1: harness area 'flow' includes onshi/mocks/card/patient_card.hpp"
expect "mocks/ons/src/rig.cpp:2: a mock includes onshi/rig/wired_rig.hpp"
expect "mocks/ons/src/cli.cpp:1: includes \"commands.hpp\", which is not beside it"
expect "harness/src/usb/cite.cpp:1: cites a file outside the repository"
expect "check-layers: 5 offence(s)"
if grep -q "harness/cli/ok.cpp" <<<"$out" || grep -q "rig.cpp:1:" <<<"$out" || grep -q "up.cpp:1:" <<<"$out"; then
  echo "the checker flagged an allowed include:"
  fail=1
fi

rm "$tree"/harness/src/usb/up.cpp "$tree"/harness/src/flow/mock.cpp "$tree"/mocks/ons/src/{rig,cli}.cpp "$tree"/harness/src/usb/cite.cpp
if ! "$checker" "$tree" >/dev/null; then
  echo "checker still fails once the offences are gone"
  fail=1
fi
((fail == 0)) || { echo "--- checker output:"; echo "$out"; exit 1; }
echo "offending_tree_test: every offence named, the clean tree passes"
