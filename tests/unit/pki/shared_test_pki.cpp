#include "shared_test_pki.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <memory>

#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

namespace onshi::pki::testing {

const Recipe& shared_recipe() {
  static const Recipe recipe = load_recipe();
  return recipe;
}

const population::Population& shared_population() {
  static const population::Population population = population::load_population();
  return population;
}

const TestPki& shared_pki() {
  static const TestPki pki = [] {
    struct stat self {};
    std::string key = "unkeyed";
    if (::stat("/proc/self/exe", &self) == 0) {
      key = std::to_string(self.st_mtim.tv_sec) + "." + std::to_string(self.st_mtim.tv_nsec) + "-" +
            std::to_string(self.st_size);
    }
    const std::filesystem::path cache(ONSHI_UNIT_PKI_CACHE);
    std::error_code ec;
    // PKIs (and their lock files) made by earlier builds of this binary.
    for (const auto& entry : std::filesystem::directory_iterator(cache, ec)) {
      if (entry.path().filename().string().find(key) == std::string::npos) std::filesystem::remove_all(entry.path(), ec);
    }
    return ensure_test_pki(cache / key, shared_recipe(), shared_population());
  }();
  return pki;
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "onshi-pki-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

int verify_chain(const crypto::Certificate& leaf, const crypto::Certificate& root, int purpose) {
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), X509_STORE_free);
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(), X509_STORE_CTX_free);
  X509_STORE_add_cert(store.get(), root.get());
  X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), nullptr);
  X509_STORE_CTX_set_purpose(ctx.get(), purpose);
  const int ok = X509_verify_cert(ctx.get());
  const int error = X509_STORE_CTX_get_error(ctx.get());
  return ok == 1 ? X509_V_OK : (error == X509_V_OK ? -1 : error);
}

}  // namespace onshi::pki::testing
