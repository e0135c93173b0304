#pragma once
// The test PKI for the targets that need real credentials (the virtual card, the mock ONS):
// made once per process into $ONSHI_TEST_PKI (scripts/fuzz.sh points it into build-fuzz/),
// else the user's cache, and reused while valid, as the test suite does.
#include <filesystem>

#include "onshi/pki/test_pki.hpp"

namespace onshi::fuzz {

inline const std::filesystem::path& test_pki_dir() {
  static const std::filesystem::path dir = [] {
    if (const auto from_env = pki::test_pki_dir_from_environment()) return *from_env;
    return std::filesystem::temp_directory_path() / "onshi-fuzz-test-pki";
  }();
  return dir;
}

inline const pki::TestPki& test_pki() {
  static const pki::TestPki pki = pki::ensure_test_pki(test_pki_dir());
  return pki;
}

}  // namespace onshi::fuzz
