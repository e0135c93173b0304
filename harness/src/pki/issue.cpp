#include "onshi/pki/issue.hpp"

#include <memory>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "onshi/core/error.hpp"

namespace onshi::pki {
namespace {

struct X509Deleter {
  void operator()(X509* p) const { X509_free(p); }
};
struct NameDeleter {
  void operator()(X509_NAME* p) const { X509_NAME_free(p); }
};
struct BnDeleter {
  void operator()(BIGNUM* p) const { BN_free(p); }
};
struct IntegerDeleter {
  void operator()(ASN1_INTEGER* p) const { ASN1_INTEGER_free(p); }
};
struct ExtensionDeleter {
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
using NamePtr = std::unique_ptr<X509_NAME, NameDeleter>;
using BnPtr = std::unique_ptr<BIGNUM, BnDeleter>;
using IntegerPtr = std::unique_ptr<ASN1_INTEGER, IntegerDeleter>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, ExtensionDeleter>;

[[noreturn]] void fail_crypto(const std::string& what, const std::string& context) {
  throw Error(ErrorCode::crypto, what + ": " + crypto::drain_openssl_errors(), context);
}

NamePtr build_name(const DistinguishedName& dn, const std::string& context) {
  if (dn.empty()) throw Error(ErrorCode::invalid_argument, "empty certificate subject", context);
  NamePtr name(X509_NAME_new());
  for (const auto& attribute : dn) {
    if (X509_NAME_add_entry_by_txt(name.get(), attribute.type.c_str(), MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(attribute.value.data()),
                                   static_cast<int>(attribute.value.size()), -1, 0) != 1) {
      throw Error(ErrorCode::invalid_argument,
                  "bad subject attribute " + attribute.type + "='" + attribute.value +
                      "': " + crypto::drain_openssl_errors(),
                  context);
    }
  }
  return name;
}

// A random positive serial of exactly 127 bits (16 DER octets, top bit of the value set so
// it never shrinks; RFC 5280 allows up to 20 octets).
void set_random_serial(X509* cert, const std::string& context) {
  BnPtr bn(BN_new());
  if (!bn || BN_rand(bn.get(), 127, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) != 1) fail_crypto("BN_rand", context);
  IntegerPtr serial(BN_to_ASN1_INTEGER(bn.get(), nullptr));
  if (!serial || X509_set_serialNumber(cert, serial.get()) != 1) fail_crypto("cannot set serial", context);
}

void set_time(ASN1_TIME* field, WallTime t, const std::string& context) {
  if (ASN1_TIME_set(field, std::chrono::system_clock::to_time_t(t)) == nullptr) fail_crypto("ASN1_TIME_set", context);
}

void add_extension(X509* cert, X509V3_CTX* ctx, int nid, const std::string& value, const std::string& context) {
  ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value.c_str()));
  if (!ext) {
    throw Error(ErrorCode::invalid_argument,
                std::string("bad ") + OBJ_nid2sn(nid) + " '" + value + "': " + crypto::drain_openssl_errors(), context);
  }
  if (X509_add_ext(cert, ext.get(), -1) != 1) fail_crypto("X509_add_ext", context);
}

std::string subject_alt_names(const CertificateSpec& spec) {
  std::string out;
  for (const auto& dns : spec.dns_names) out += (out.empty() ? "" : ",") + std::string("DNS:") + dns;
  for (const auto& ip : spec.ip_addresses) out += (out.empty() ? "" : ",") + std::string("IP:") + ip;
  return out;
}

}  // namespace

crypto::Certificate issue_certificate(const CertificateSpec& spec, const crypto::PrivateKey& subject_key,
                                      const Credential* issuer) {
  const std::string context = "issuing certificate " + to_string(spec.subject);
  if (!subject_key) throw Error(ErrorCode::invalid_argument, "no subject key", context);
  if (issuer != nullptr && !*issuer) throw Error(ErrorCode::invalid_argument, "empty issuer credential", context);
  if (issuer != nullptr && !issuer->key_matches()) {
    throw Error(ErrorCode::invalid_argument, "issuer key does not match issuer certificate", context);
  }
  if (spec.not_after <= spec.not_before) {
    throw Error(ErrorCode::invalid_argument, "notAfter is not after notBefore", context);
  }

  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) fail_crypto("X509_new", context);
  set_random_serial(cert.get(), context);
  const NamePtr subject = build_name(spec.subject, context);
  if (X509_set_subject_name(cert.get(), subject.get()) != 1) fail_crypto("cannot set subject", context);
  X509_NAME* issuer_name = issuer != nullptr ? X509_get_subject_name(issuer->certificate.get()) : subject.get();
  if (X509_set_issuer_name(cert.get(), issuer_name) != 1) fail_crypto("cannot set issuer", context);
  set_time(X509_getm_notBefore(cert.get()), spec.not_before, context);
  set_time(X509_getm_notAfter(cert.get()), spec.not_after, context);
  if (X509_set_pubkey(cert.get(), subject_key.get()) != 1) fail_crypto("cannot set public key", context);

  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer != nullptr ? issuer->certificate.get() : cert.get(), cert.get(), nullptr, nullptr, 0);
  switch (spec.profile) {
    case CertificateProfile::ca:
      add_extension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:TRUE", context);
      add_extension(cert.get(), &ctx, NID_key_usage, "critical,keyCertSign,cRLSign", context);
      break;
    case CertificateProfile::server:
      add_extension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE", context);
      add_extension(cert.get(), &ctx, NID_key_usage, "critical,digitalSignature,keyEncipherment", context);
      if (spec.extended_key_usage) add_extension(cert.get(), &ctx, NID_ext_key_usage, "serverAuth", context);
      break;
    case CertificateProfile::client:
      add_extension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE", context);
      add_extension(cert.get(), &ctx, NID_key_usage, "critical,digitalSignature", context);
      if (spec.extended_key_usage) add_extension(cert.get(), &ctx, NID_ext_key_usage, "clientAuth", context);
      break;
    case CertificateProfile::signing:  // CMS signatures over evidence (S/MIME purpose)
      add_extension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE", context);
      add_extension(cert.get(), &ctx, NID_key_usage, "critical,digitalSignature,nonRepudiation", context);
      if (spec.extended_key_usage) {
        add_extension(cert.get(), &ctx, NID_ext_key_usage, "emailProtection,codeSigning", context);
      }
      break;
  }
  if (const std::string san = subject_alt_names(spec); !san.empty()) {
    add_extension(cert.get(), &ctx, NID_subject_alt_name, san, context);
  }
  // SKI first: for a self-signed certificate the AKI is taken from it.
  add_extension(cert.get(), &ctx, NID_subject_key_identifier, "hash", context);
  add_extension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always", context);

  const crypto::PrivateKey& signing_key = issuer != nullptr ? issuer->key : subject_key;
  if (X509_sign(cert.get(), signing_key.get(), EVP_sha256()) <= 0) fail_crypto("signing failed", context);
  return crypto::Certificate(cert.release());
}

Credential make_ca(const DistinguishedName& subject, WallTime not_before, WallTime not_after, unsigned key_bits) {
  Credential ca;
  ca.key = crypto::PrivateKey::generate_rsa(key_bits);
  CertificateSpec spec;
  spec.subject = subject;
  spec.profile = CertificateProfile::ca;
  spec.not_before = not_before;
  spec.not_after = not_after;
  ca.certificate = issue_certificate(spec, ca.key, nullptr);
  return ca;
}

Credential issue_client_certificate(const crypto::Certificate& ca_cert, const crypto::PrivateKey& ca_key,
                                    const std::string& facility_code, const ClientCertificateOptions& options) {
  if (facility_code.empty()) {
    throw Error(ErrorCode::invalid_argument, "empty facility code", "issue_client_certificate");
  }
  const Credential issuer{ca_cert, ca_key};
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  const auto day = std::chrono::hours(24);

  CertificateSpec spec;
  spec.subject = options.subject.empty()
                     ? DistinguishedName{{"C", "JP"}, {"O", "onshi-hil test PKI"}, {"CN", "onshi-hil terminal " + facility_code}}
                     : options.subject;
  spec.subject.push_back({"serialNumber", facility_code});
  spec.profile = CertificateProfile::client;
  spec.not_before = options.not_before.value_or(now - day);
  spec.not_after = options.not_after.value_or(now + 397 * day);
  spec.extended_key_usage = options.client_auth_eku;

  Credential out;
  out.key = options.key ? options.key : crypto::PrivateKey::generate_rsa(options.key_bits);
  out.certificate = issue_certificate(spec, out.key, &issuer);
  return out;
}

}  // namespace onshi::pki
