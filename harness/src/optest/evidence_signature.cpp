#include "onshi/optest/evidence_signature.hpp"

#include <memory>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>  // before cms.h, which declares PEM_{read,write}_bio_CMS only after it
#include <openssl/cms.h>
#include <openssl/x509_vfy.h>

#include "onshi/core/error.hpp"
#include "onshi/crypto/bio.hpp"

namespace onshi::optest {
namespace {

struct CmsDeleter {
  void operator()(CMS_ContentInfo* p) const { CMS_ContentInfo_free(p); }
};
struct StoreDeleter {
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
};
using crypto::BioPtr;

BioPtr memory_of(std::string_view bytes) {
  BioPtr bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
  if (!bio) throw Error(ErrorCode::crypto, "BIO_new_mem_buf failed", "evidence signature");
  return bio;
}

std::string openssl_reason() {
  std::string out;
  while (const unsigned long e = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(e, buffer, sizeof buffer);
    out += (out.empty() ? "" : "; ") + std::string(buffer);
  }
  return out.empty() ? std::string("no reason given") : out;
}

}  // namespace

std::string sign_detached(std::string_view content, const crypto::Certificate& signer, const crypto::PrivateKey& key) {
  const BioPtr data = memory_of(content);
  const std::unique_ptr<CMS_ContentInfo, CmsDeleter> cms(
      CMS_sign(signer.get(), key.get(), nullptr, data.get(), CMS_DETACHED | CMS_BINARY));
  if (!cms) throw Error(ErrorCode::crypto, "CMS_sign failed: " + openssl_reason(), "evidence signature");
  const BioPtr out(BIO_new(BIO_s_mem()));
  if (!out || PEM_write_bio_CMS(out.get(), cms.get()) != 1) {
    throw Error(ErrorCode::crypto, "cannot write the CMS signature: " + openssl_reason(), "evidence signature");
  }
  char* bytes = nullptr;
  const long size = BIO_get_mem_data(out.get(), &bytes);
  return std::string(bytes, static_cast<std::size_t>(size));
}

std::string verify_detached(std::string_view content, std::string_view signature_pem,
                            const std::vector<crypto::Certificate>& trusted) {
  ERR_clear_error();
  const BioPtr pem = memory_of(signature_pem);
  const std::unique_ptr<CMS_ContentInfo, CmsDeleter> cms(PEM_read_bio_CMS(pem.get(), nullptr, nullptr, nullptr));
  if (!cms) return "the signature is not a PEM CMS structure: " + openssl_reason();
  const std::unique_ptr<X509_STORE, StoreDeleter> store(X509_STORE_new());
  if (!store) return "X509_STORE_new failed";
  for (const auto& cert : trusted) {
    if (X509_STORE_add_cert(store.get(), cert.get()) != 1) return "cannot trust a CA certificate: " + openssl_reason();
  }
  const BioPtr data = memory_of(content);
  if (CMS_verify(cms.get(), nullptr, store.get(), data.get(), nullptr, CMS_BINARY) != 1) {
    return "the CMS signature does not verify: " + openssl_reason();
  }
  return {};
}

}  // namespace onshi::optest
