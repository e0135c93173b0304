#!/usr/bin/env bash
# The main job: set up, build onshi-hil, and run the operational test (運用テスト, docs/optest.md)
# on a rig (default: rigs/emulated.toml): the checklist's table on the console, and the signed
# evidence bundle (record, JUnit, HTML and Markdown reports, manifest + CMS signature) in
# build/optest-evidence. Extra arguments go to `onshi-hil optest` (e.g. --rig rigs/my-site.toml,
# --checklist my-checklist.toml).
#
# It configures build/ exactly as ./scripts/test.sh does (the `ci` preset, warnings are
# errors), so running both compiles each file once: this script builds only onshi-hil, the
# suite then builds the rest in the same tree (README, "Quick start").
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cmake --preset ci >/dev/null
cmake --build --preset ci --target onshi-hil
exec ./build/harness/cli/onshi-hil optest --evidence build/optest-evidence "$@"
