#!/usr/bin/env bash
# cmake --install BUILD into PREFIX (emptied first), then check that what a user needs is
# there: programs, data, headers, libraries and the CMake package with its version file.
set -uo pipefail
build=$1 prefix=$2 version=$3
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

rm -rf "$prefix"
if ! cmake --install "$build" --prefix "$prefix" >"$build/packaging/install.log" 2>&1; then
  cat "$build/packaging/install.log"
  echo "FAIL: cmake --install $build --prefix $prefix"
  exit 1
fi

cmakedir=$(dirname "$(find "$prefix" -name onshi-hil-config.cmake -print -quit)")
[[ -f "$cmakedir/onshi-hil-config.cmake" ]] || fail "no onshi-hil-config.cmake under $prefix"
for f in onshi-hil-config-version.cmake onshi-hil-targets.cmake; do
  [[ -f "$cmakedir/$f" ]] || fail "no $f beside onshi-hil-config.cmake ($cmakedir)"
done
grep -q "set(PACKAGE_VERSION \"$version\")" "$cmakedir/onshi-hil-config-version.cmake" ||
  fail "the version file does not say $version"
for target in harness mocks testing links_builtin core mock_ons mock_reader mock_card rig; do
  grep -q "add_library(onshi::$target " "$cmakedir/onshi-hil-targets.cmake" || fail "target onshi::$target not exported"
done
# The exported targets carry no path into the source or build tree.
if grep -n -e "$build" -e "/harness/include" -e "/mocks/[a-z]*/include" "$cmakedir"/onshi-hil-targets*.cmake; then
  fail "exported targets refer to the source or build tree (above)"
fi

for f in bin/onshi-hil bin/onshi-ons-mock; do [[ -x "$prefix/$f" ]] || fail "no executable $f"; done
for f in share/onshi-hil/rigs/emulated.toml share/onshi-hil/rigs/readers/generic-ccid.toml \
         share/onshi-hil/fixtures/scenarios/catalogue.toml share/onshi-hil/fixtures/pki/recipe.toml \
         share/onshi-hil/fixtures/population/patients.toml share/onshi-hil/fixtures/optest/checklist.toml \
         include/onshi/core/bytes.hpp include/onshi/testing/mock_ons_fixture.hpp \
         include/onshi/mocks/ons/ons_mock_server.hpp include/onshi/mocks/reader/usbip_server.hpp \
         include/onshi/mocks/card/patient_card.hpp lib/udev/rules.d/60-onshi-hil-readers.rules \
         share/man/man1/onshi-hil.1.gz; do
  [[ -f "$prefix/$f" ]] || fail "not installed: $f"
done
libs=$(find "$prefix" -name 'libonshi_*.a' | wc -l)
((libs >= 30)) || fail "only $libs libonshi_*.a installed"
# Private headers stay in the source tree.
if find "$prefix/include" -name '*.hpp' ! -path '*/onshi/*' | grep -q .; then
  fail "headers outside include/onshi/: $(find "$prefix/include" -name '*.hpp' ! -path '*/onshi/*' | head -3)"
fi

((failures == 0)) || exit 1
echo "installed into $prefix: $(find "$prefix" -type f | wc -l) files, $libs libraries"
