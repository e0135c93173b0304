#!/usr/bin/env bash
# The test suite under AddressSanitizer + UndefinedBehaviorSanitizer: the `debug` preset
# (build-debug/, -fsanitize=address,undefined -fno-sanitize-recover=all, so any finding ends
# the test that hit it with a failure), configured, built and run with ctest.
#   scripts/sanitize.sh            the whole suite (labels unit, integration, e2e)
#   scripts/sanitize.sh -L unit    extra arguments go to ctest (e.g. -L unit, -R pki)
#   scripts/sanitize.sh --ci       what CI runs: only the parsers below the link layer
#                                  (target onshi_codec_tests, label `codec`: every fuzz
#                                  target's seed corpus replayed, and their unit tests)
# Sanitizer options for the tests are in the preset's test environment (CMakePresets.json).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset debug >/dev/null
if [[ "${1:-}" == "--ci" ]]; then
  cmake --build --preset debug --target onshi_codec_tests
  exec ctest --preset debug -L codec
fi
cmake --build --preset debug
if [ "$#" -eq 0 ]; then
  set -- -L "unit|integration|e2e"
fi
exec ctest --preset debug "$@"
