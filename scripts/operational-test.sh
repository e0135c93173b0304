#!/usr/bin/env bash
# The main job: set up, build, and run the operational test (運用テスト) on a rig
# (default: rigs/emulated.toml), printing the per-step table and writing a JSON record.
# Extra arguments go to `onshi-hil run` (e.g. --scenario pin-locked, --rig rigs/my-site.toml).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cmake --preset default >/dev/null
cmake --build --preset default --target onshi-hil
mkdir -p build/records
exec ./build/harness/cli/onshi-hil run --record build/records/operational-test.json "$@"
