#!/usr/bin/env bash
# examples/vendor-suite as a vendor builds it: a copy of the folder, configured with only the
# installed prefix on CMAKE_PREFIX_PATH, warnings as errors (the installed headers included as
# ordinary, not system, headers, so they are held to the same warnings), built and run. Checks
# that no include directory or library comes from the source or the build tree.
set -uo pipefail
source_dir=$1 build_dir=$2 prefix=$3 pki=$4
# The package's own compile flags (the debug preset's sanitizers must be in its consumers too).
cxx_flags=${5:-}
work=$(mktemp -d /tmp/onshi-hil-vendor.XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
step() { echo "== $*"; }

cp -a "$source_dir/examples/vendor-suite" "$work/src"
step "configure against $prefix"
if ! cmake -S "$work/src" -B "$work/build" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
     -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON -DCMAKE_COMPILE_WARNING_AS_ERROR=ON \
     -DCMAKE_NO_SYSTEM_FROM_IMPORTED=ON -DCMAKE_CXX_FLAGS="$cxx_flags" -DVENDOR_SUITE_PKI_DIR="$pki" >"$work/configure.log" 2>&1; then
  cat "$work/configure.log"; echo "FAIL: the vendor suite does not configure"; exit 1
fi
grep -q "onshi-hil_DIR:PATH=$prefix/" "$work/build/CMakeCache.txt" ||
  fail "find_package found onshi-hil elsewhere: $(grep onshi-hil_DIR "$work/build/CMakeCache.txt")"

# Installed headers and libraries only.
commands=$work/build/compile_commands.json
grep -q -- "-Werror" "$commands" || fail "the suite was not compiled with -Werror"
for tree in "$source_dir/harness" "$source_dir/mocks" "$source_dir/testing" "$build_dir"; do
  # (TEST_PROPERTIES lines carry VENDOR_SUITE_PKI_DIR, the build's test PKI, on purpose.)
  if grep -v TEST_PROPERTIES "$commands" "$work/build/build.ninja" | grep -q -- "$tree"; then
    fail "the vendor build refers to $tree: $(grep -v TEST_PROPERTIES "$commands" "$work/build/build.ninja" | grep -o -- "[^ \"]*$tree[^ \"]*" | head -3)"
  fi
done

step "build"
start=$SECONDS
if ! nice -n 10 cmake --build "$work/build" -j 2 >"$work/build.log" 2>&1; then
  tail -60 "$work/build.log"; echo "FAIL: the vendor suite does not build with -Werror"; exit 1
fi
echo "built in $((SECONDS - start)) s"

step "ctest"
if ! ctest --test-dir "$work/build" --output-on-failure --timeout 300 >"$work/ctest.log" 2>&1; then
  cat "$work/ctest.log"; echo "FAIL: the vendor suite's tests fail"; exit 1
fi
cat "$work/ctest.log"
tests=$(grep -c "Test *#[0-9]*: vendor\.[A-Za-z]*\..* Passed" "$work/ctest.log")
((tests >= 2)) || fail "expected the vendor's GoogleTest cases to run, $tests passed"

((failures == 0)) || exit 1
echo "vendor suite: $tests GoogleTest cases passed against $prefix"
