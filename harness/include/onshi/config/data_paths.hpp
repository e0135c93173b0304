#pragma once
// Where the harness finds the data it ships: fixtures/ (population, PKI recipe, scenario
// catalogue, sample requests) and rigs/ (rig files, reader identities). Each is overridable
// by an environment variable, so a copied or installed tree works from any directory.
#include <filesystem>

namespace onshi::config {

// $ONSHI_FIXTURES_DIR, else the source tree's fixtures/.
std::filesystem::path fixtures_dir();
// $ONSHI_RIGS_DIR, else the source tree's rigs/.
std::filesystem::path rigs_dir();

}  // namespace onshi::config
