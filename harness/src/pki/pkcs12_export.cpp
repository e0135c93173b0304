#include "onshi/pki/pkcs12_export.hpp"

#include <openssl/bio.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <memory>

#include "onshi/core/atomic_file.hpp"
#include "onshi/core/error.hpp"
#include "onshi/crypto/bio.hpp"

namespace onshi::pki {
namespace {

struct StackDeleter {
  void operator()(STACK_OF(X509) * p) const { sk_X509_free(p); }  // the certificates stay owned by their Certificate
};
struct Pkcs12Deleter {
  void operator()(PKCS12* p) const { PKCS12_free(p); }
};

}  // namespace

void write_pkcs12(const std::filesystem::path& file, const Credential& credential,
                  const std::vector<crypto::Certificate>& chain, const std::string& password,
                  const std::string& friendly_name) {
  const std::string context = file.string();
  if (!credential) throw Error(ErrorCode::invalid_argument, "no credential to export", context);
  std::unique_ptr<STACK_OF(X509), StackDeleter> cas(sk_X509_new_null());
  for (const auto& certificate : chain) {
    if (!cas || sk_X509_push(cas.get(), certificate.get()) == 0) {
      throw Error(ErrorCode::crypto, "cannot list the CA chain: " + crypto::drain_openssl_errors(), context);
    }
  }
  // nid 0 / iter 0 / mac_iter 0: OpenSSL 3's defaults (PBES2 with AES-256-CBC, SHA-256 MAC).
  const std::unique_ptr<PKCS12, Pkcs12Deleter> p12(PKCS12_create(password.c_str(), friendly_name.c_str(),
                                                                 credential.key.get(), credential.certificate.get(),
                                                                 cas.get(), 0, 0, 0, 0, 0));
  if (!p12) throw Error(ErrorCode::crypto, "PKCS12_create: " + crypto::drain_openssl_errors(), context);
  const crypto::BioPtr out(BIO_new(BIO_s_mem()));
  if (!out || i2d_PKCS12_bio(out.get(), p12.get()) != 1) {
    throw Error(ErrorCode::crypto, "cannot encode PKCS#12: " + crypto::drain_openssl_errors(), context);
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(out.get(), &data);
  write_file_atomically(file, std::string_view(data, static_cast<std::size_t>(size)), 0600);
}

}  // namespace onshi::pki
