#!/usr/bin/env bash
# The main job: set up, build onshi-hil, and run the operational test (運用テスト, docs/optest.md)
# on a rig (default: rigs/emulated.toml): the checklist's table on the console, and the signed
# evidence bundle (record, JUnit, HTML and Markdown reports, manifest + CMS signature) in
# build/optest-evidence. Extra arguments go to `onshi-hil optest` (e.g. --rig rigs/my-site.toml,
# --checklist my-checklist.toml).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cmake --preset default >/dev/null
cmake --build --preset default --target onshi-hil
exec ./build/harness/cli/onshi-hil optest --evidence build/optest-evidence "$@"
