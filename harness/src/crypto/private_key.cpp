#include "onshi/crypto/private_key.hpp"

#include <fstream>
#include <sstream>
#include <sys/stat.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "onshi/core/error.hpp"
#include "onshi/crypto/bio.hpp"
#include "onshi/crypto/certificate.hpp"

namespace onshi::crypto {
namespace {

std::string read_key_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorCode::not_found, "cannot open key file", file.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct CtxDeleter {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, CtxDeleter>;

}  // namespace

PrivateKey::PrivateKey(evp_pkey_st* key) : key_(key, EVP_PKEY_free) {}

PrivateKey PrivateKey::generate_rsa(unsigned bits) {
  EVP_PKEY* key = EVP_RSA_gen(bits);
  if (key == nullptr) throw Error(ErrorCode::crypto, "RSA key generation failed: " + drain_openssl_errors());
  return PrivateKey(key);
}

PrivateKey PrivateKey::from_pem(std::string_view pem, const std::string& source) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr) {
    throw Error(ErrorCode::malformed_input, "no private key in PEM: " + drain_openssl_errors(), source);
  }
  return PrivateKey(key);
}

PrivateKey PrivateKey::load_pem_file(const std::filesystem::path& file) {
  return from_pem(read_key_text(file), file.string());
}

std::string PrivateKey::to_pem() const {
  if (!key_) throw Error(ErrorCode::state, "empty private key", "to_pem");
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    throw Error(ErrorCode::crypto, "PEM encoding failed: " + drain_openssl_errors());
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

void PrivateKey::write_pem_file(const std::filesystem::path& file) const {
  const std::string pem = to_pem();
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(ErrorCode::io, "cannot write key file", file.string());
    out << pem;
  }
  ::chmod(file.c_str(), 0600);
}

Bytes PrivateKey::sign_pkcs1_raw(ByteView digest_info) const {
  if (!key_) throw Error(ErrorCode::state, "empty private key", "sign");
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new(key_.get(), nullptr));
  if (!ctx || EVP_PKEY_sign_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1) {
    throw Error(ErrorCode::crypto, "cannot set up RSA PKCS#1 signing: " + drain_openssl_errors());
  }
  std::size_t size = 0;
  if (EVP_PKEY_sign(ctx.get(), nullptr, &size, digest_info.data(), digest_info.size()) != 1) {
    throw Error(ErrorCode::crypto, "RSA sign size query failed: " + drain_openssl_errors());
  }
  Bytes signature(size);
  if (EVP_PKEY_sign(ctx.get(), signature.data(), &size, digest_info.data(), digest_info.size()) != 1) {
    throw Error(ErrorCode::crypto, "RSA signing failed (input " + std::to_string(digest_info.size()) +
                                       " bytes): " + drain_openssl_errors());
  }
  signature.resize(size);
  return signature;
}

unsigned PrivateKey::bits() const { return key_ ? static_cast<unsigned>(EVP_PKEY_get_bits(key_.get())) : 0; }

}  // namespace onshi::crypto
