#include "onshi/crypto/certificate.hpp"

#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <unordered_map>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "onshi/core/error.hpp"
#include "onshi/crypto/bio.hpp"

namespace onshi::crypto {
namespace {

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string read_certificate_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorCode::not_found, "cannot open certificate file", file.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string name_text(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
  return bio_text(bio.get());
}

std::chrono::system_clock::time_point asn1_time(const ASN1_TIME* t) {
  std::tm fields{};
  if (ASN1_TIME_to_tm(t, &fields) != 1) throw Error(ErrorCode::malformed_input, "bad ASN.1 time", "certificate");
  return std::chrono::system_clock::from_time_t(timegm(&fields));
}

// The certificates parsed from DER, by their exact bytes. OpenSSL 3.0's d2i_X509 decodes the
// public key through its provider decoders, about 0.3 ms a call, and a load run parses the
// same card certificates again for every reception (the terminal reading the card, the mock
// verifying the inquiry): 12 % of its CPU (docs/load.md "Speed"). A parsed X509 is not changed
// after parsing here and OpenSSL reference-counts it, so equal bytes share one parse. Bounded:
// a full cache is emptied, so a stream of distinct certificates costs what it did.
class ParsedCertificates {
 public:
  // Never destroyed: X509_free after OpenSSL's own exit-time cleanup would be undefined.
  static ParsedCertificates& instance() {
    static auto* cache = new ParsedCertificates;
    return *cache;
  }

  std::optional<Certificate> find(const std::string& der) {
    std::lock_guard lock(mutex_);
    const auto it = by_der_.find(der);
    if (it == by_der_.end()) return std::nullopt;
    return it->second;
  }

  void keep(std::string der, const Certificate& cert) {
    std::lock_guard lock(mutex_);
    if (by_der_.size() >= capacity) by_der_.clear();
    by_der_.emplace(std::move(der), cert);
  }

 private:
  static constexpr std::size_t capacity = 4096;
  std::mutex mutex_;
  std::unordered_map<std::string, Certificate> by_der_;
};

}  // namespace

std::string drain_openssl_errors() {
  std::string out;
  unsigned long e = 0;
  while ((e = ERR_get_error()) != 0) {
    char buffer[256];
    ERR_error_string_n(e, buffer, sizeof buffer);
    if (!out.empty()) out += "; ";
    out += buffer;
  }
  return out;
}

Certificate::Certificate(x509_st* cert) : cert_(cert, X509_free) {}

Certificate Certificate::from_der(ByteView der, const std::string& source) {
  std::string key(reinterpret_cast<const char*>(der.data()), der.size());
  if (std::optional<Certificate> known = ParsedCertificates::instance().find(key)) return *known;
  const unsigned char* p = der.data();
  X509* cert = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  if (cert == nullptr) {
    throw Error(ErrorCode::malformed_input, "not a DER X.509 certificate: " + drain_openssl_errors(), source);
  }
  Certificate parsed(cert);
  ParsedCertificates::instance().keep(std::move(key), parsed);
  return parsed;
}

Certificate Certificate::from_pem(std::string_view pem, const std::string& source) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
  if (cert == nullptr) {
    throw Error(ErrorCode::malformed_input, "no PEM certificate: " + drain_openssl_errors(), source);
  }
  return Certificate(cert);
}

Certificate Certificate::load_pem_file(const std::filesystem::path& file) {
  return from_pem(read_certificate_text(file), file.string());
}

std::vector<Certificate> Certificate::load_pem_bundle(const std::filesystem::path& file) {
  const std::string text = read_certificate_text(file);
  BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  std::vector<Certificate> out;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) out.emplace_back(cert);
  ERR_clear_error();  // the end of the bundle leaves a "no start line" error behind
  if (out.empty()) throw Error(ErrorCode::malformed_input, "no PEM certificate in bundle", file.string());
  return out;
}

Bytes Certificate::to_der() const {
  unsigned char* buffer = nullptr;
  const int size = i2d_X509(cert_.get(), &buffer);
  if (size <= 0) throw Error(ErrorCode::crypto, "DER encoding failed: " + drain_openssl_errors());
  Bytes out(buffer, buffer + size);
  OPENSSL_free(buffer);
  return out;
}

std::string Certificate::to_pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_X509(bio.get(), cert_.get()) != 1) {
    throw Error(ErrorCode::crypto, "PEM encoding failed: " + drain_openssl_errors());
  }
  return bio_text(bio.get());
}

void Certificate::write_pem_file(const std::filesystem::path& file) const {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) throw Error(ErrorCode::io, "cannot write certificate file", file.string());
  out << to_pem();
}

std::string Certificate::subject() const { return name_text(X509_get_subject_name(cert_.get())); }
std::string Certificate::issuer() const { return name_text(X509_get_issuer_name(cert_.get())); }

std::string Certificate::serial_hex() const {
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert_.get()), nullptr);
  char* hex = BN_bn2hex(bn);
  std::string out(hex);
  OPENSSL_free(hex);
  BN_free(bn);
  return out;
}

std::string Certificate::sha256_fingerprint() const {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  X509_digest(cert_.get(), EVP_sha256(), md, &size);
  return to_hex(ByteView(md, size), ":");
}

std::chrono::system_clock::time_point Certificate::not_before() const {
  return asn1_time(X509_get0_notBefore(cert_.get()));
}
std::chrono::system_clock::time_point Certificate::not_after() const {
  return asn1_time(X509_get0_notAfter(cert_.get()));
}

std::string Certificate::subject_attribute(const std::string& short_name) const {
  const int nid = OBJ_sn2nid(short_name.c_str());
  if (nid == NID_undef) return {};
  const X509_NAME* name = X509_get_subject_name(cert_.get());
  const int index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0) return {};
  const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int size = ASN1_STRING_to_UTF8(&utf8, value);
  if (size < 0) return {};
  std::string out(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(size));
  OPENSSL_free(utf8);
  return out;
}

bool Certificate::verify_sha256_pkcs1(ByteView message, ByteView signature) const {
  EVP_PKEY* key = X509_get0_pubkey(cert_.get());
  if (key == nullptr) return false;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_PKEY_CTX* pctx = nullptr;
  bool ok = EVP_DigestVerifyInit(ctx, &pctx, EVP_sha256(), nullptr, key) == 1 &&
            EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1 &&
            EVP_DigestVerify(ctx, signature.data(), signature.size(), message.data(), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  ERR_clear_error();
  return ok;
}

bool Certificate::issued_by(const Certificate& issuer_cert) const {
  EVP_PKEY* key = X509_get0_pubkey(issuer_cert.get());
  const bool ok = key != nullptr && X509_verify(cert_.get(), key) == 1;
  ERR_clear_error();
  return ok;
}

Bytes sha256(ByteView message) {
  Bytes md(32);
  unsigned int size = 0;
  EVP_Digest(message.data(), message.size(), md.data(), &size, EVP_sha256(), nullptr);
  return md;
}

Bytes sha256_digest_info(ByteView message) {
  // DER prefix of DigestInfo{ AlgorithmIdentifier{sha256, NULL}, OCTET STRING(32) } (RFC 8017 §9.2).
  Bytes out = from_hex("3031300D060960864801650304020105000420");
  append(out, sha256(message));
  return out;
}

Bytes random_bytes(std::size_t count) {
  Bytes out(count);
  if (RAND_bytes(out.data(), static_cast<int>(count)) != 1) {
    throw Error(ErrorCode::crypto, "RAND_bytes failed: " + drain_openssl_errors());
  }
  return out;
}

}  // namespace onshi::crypto
