#pragma once
// One test PKI per test binary build, shared by every test case (ctest runs each case in its
// own process, so it is cached on disk beside the binary and keyed by the binary's identity:
// a rebuilt generator never reuses an old PKI).
#include <filesystem>
#include <string>

#include "onshi/population/population.hpp"
#include "onshi/pki/recipe.hpp"
#include "onshi/pki/test_pki.hpp"

namespace onshi::pki::testing {

const Recipe& shared_recipe();
const population::Population& shared_population();
const TestPki& shared_pki();

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// X509_verify_cert of `leaf` against `root` as the only trust anchor for `purpose`
// (X509_PURPOSE_SSL_SERVER / _CLIENT); X509_V_OK or the verification error.
int verify_chain(const crypto::Certificate& leaf, const crypto::Certificate& root, int purpose);

}  // namespace onshi::pki::testing
