#pragma once
// Where the harness finds the data it ships: fixtures/ (population, PKI recipe, scenario
// catalogue, sample requests) and rigs/ (rig files, reader identities). An installed or
// extracted tree (cmake --install, the .deb, dpkg-deb -x) works from any working directory:
//
//   1. $ONSHI_FIXTURES_DIR / $ONSHI_RIGS_DIR, when set and not empty;
//   2. beside the running program: <bin>/../share/onshi-hil/<name> (the install layout, found
//      through /proc/self/exe, so a relocated prefix still works);
//   3. the source tree the library was built from, when it still exists (build-tree programs);
//   4. the configured install prefix's share/onshi-hil/<name> (a vendor's own program linking
//      the installed libraries).
//
// The first that exists wins; when none does, the install prefix's path is returned so the
// error that follows names where the data was expected.
#include <filesystem>

namespace onshi::config {

std::filesystem::path fixtures_dir();
std::filesystem::path rigs_dir();

}  // namespace onshi::config
