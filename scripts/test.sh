#!/usr/bin/env bash
# The whole test suite: set up, build everything (warnings are errors), run ctest.
# Extra arguments go to ctest (e.g. -L unit, -R e2e).
# build/ is shared with ./scripts/operational-test.sh (same `ci` preset): no rebuild between them.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cmake --preset ci >/dev/null
cmake --build --preset ci
exec ctest --preset ci "$@"
