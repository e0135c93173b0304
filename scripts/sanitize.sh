#!/usr/bin/env bash
# The test suite under AddressSanitizer + UndefinedBehaviorSanitizer: the `debug` preset
# (build-debug/, -fsanitize=address,undefined -fno-sanitize-recover=all, so any finding ends
# the test that hit it with a failure), configured, built and run with ctest.
# Extra arguments go to ctest (e.g. -L unit, -R pki); without any, the labels CI runs.
# Sanitizer options for the tests are in the preset's test environment (CMakePresets.json).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset debug >/dev/null
cmake --build --preset debug
if [ "$#" -eq 0 ]; then
  set -- -L "unit|integration|e2e"
fi
exec ctest --preset debug "$@"
