#include "test_identity.hpp"

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "onshi/core/error.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/test_pki.hpp"

namespace onshi::testing {
namespace {

void check(int ok, const char* what) {
  if (ok != 1) throw Error(ErrorCode::crypto, std::string(what) + ": " + crypto::drain_openssl_errors(), "test identity");
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (extension == nullptr) check(0, "X509V3_EXT_conf_nid");
  check(X509_add_ext(cert, extension, -1), "X509_add_ext");
  X509_EXTENSION_free(extension);
}

crypto::Certificate issue(const crypto::PrivateKey& subject_key, const std::string& common_name, long serial,
                          const crypto::Certificate* issuer, const crypto::PrivateKey& issuer_key, bool is_ca) {
  X509* cert = X509_new();
  crypto::Certificate owned(cert);  // frees on any throw below
  check(X509_set_version(cert, 2), "X509_set_version");
  check(ASN1_INTEGER_set(X509_get_serialNumber(cert), serial), "ASN1_INTEGER_set");
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 5L * 365 * 24 * 3600);
  check(X509_set_pubkey(cert, subject_key.get()), "X509_set_pubkey");
  X509_NAME* name = X509_get_subject_name(cert);
  const auto add_entry = [&](const char* field, const std::string& value) {
    check(X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(value.c_str()),
                                     -1, -1, 0),
          "X509_NAME_add_entry_by_txt");
  };
  add_entry("C", "JP");
  add_entry("O", "onshi-hil card tests");
  add_entry("CN", common_name);
  X509* issuer_cert = issuer != nullptr ? issuer->get() : cert;
  check(X509_set_issuer_name(cert, X509_get_subject_name(issuer_cert)), "X509_set_issuer_name");
  if (is_ca) {
    add_extension(cert, issuer_cert, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert, issuer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_extension(cert, issuer_cert, NID_key_usage, "critical,digitalSignature");
  }
  if (X509_sign(cert, issuer_key.get(), EVP_sha256()) <= 0) check(0, "X509_sign");
  return owned;
}

TestIdentity generate() {
  TestIdentity identity;
  identity.ca_key = crypto::PrivateKey::generate_rsa(2048);
  identity.ca_cert = issue(identity.ca_key, "Test JPKI User Authentication CA", 1, nullptr, identity.ca_key, true);
  identity.auth_key = crypto::PrivateKey::generate_rsa(2048);
  identity.auth_cert =
      issue(identity.auth_key, "Test Card Holder", 0x1234567, &identity.ca_cert, identity.ca_key, false);
  identity.sign_key = crypto::PrivateKey::generate_rsa(2048);
  identity.sign_cert = issue(identity.sign_key, "Test Card Holder (sign)", 0x2345678, &identity.ca_cert, identity.ca_key, false);
  crypto::PrivateKey terminal_ca_key = crypto::PrivateKey::generate_rsa(2048);
  identity.terminal_ca_cert = issue(terminal_ca_key, "Test Terminal CA", 2, nullptr, terminal_ca_key, true);
  identity.terminal_key = crypto::PrivateKey::generate_rsa(2048);
  identity.terminal_cert = issue(identity.terminal_key, "Test Terminal", 3, &identity.terminal_ca_cert, terminal_ca_key, false);
  identity.foreign_terminal_key = identity.sign_key;
  identity.foreign_terminal_cert = issue(identity.sign_key, "Foreign Terminal", 4, nullptr, identity.sign_key, false);
  return identity;
}

constexpr const char* terminal_facility_code = "1312345678";  // fixtures/population/facilities.toml

}  // namespace

// Under ctest every test case is its own process: take the keys from the shared test PKI
// (fixture `test_pki`, $ONSHI_TEST_PKI) instead of generating two RSA keys per process.
// Run by hand without it, the binary generates its own.
TestIdentity from_test_pki(const std::filesystem::path& dir) {
  const pki::PkiPaths paths(dir);
  TestIdentity identity;
  identity.ca_key = crypto::PrivateKey::load_pem_file(paths.jpki_ca_key());
  identity.ca_cert = crypto::Certificate::load_pem_file(paths.jpki_ca_cert());
  identity.auth_key = crypto::PrivateKey::load_pem_file(paths.patient_auth_key("P001"));
  identity.auth_cert = crypto::Certificate::load_pem_file(paths.patient_auth_cert("P001"));
  // The sign key is P002's auth key, certified here as a signature certificate (cheap: no keygen).
  identity.sign_key = crypto::PrivateKey::load_pem_file(paths.patient_auth_key("P002"));
  identity.sign_cert = issue(identity.sign_key, "Test Card Holder (sign)", 0x2345678, &identity.ca_cert, identity.ca_key, false);
  identity.terminal_ca_cert = crypto::Certificate::load_pem_file(paths.terminal_ca_cert());
  identity.terminal_key = crypto::PrivateKey::load_pem_file(paths.terminal_key(terminal_facility_code));
  identity.terminal_cert = crypto::Certificate::load_pem_file(paths.terminal_cert(terminal_facility_code));
  identity.foreign_terminal_key = crypto::PrivateKey::load_pem_file(paths.foreign_terminal_key());
  identity.foreign_terminal_cert = crypto::Certificate::load_pem_file(paths.foreign_terminal_cert());
  return identity;
}

const TestIdentity& shared_test_identity() {
  static const TestIdentity identity = [] {
    if (const auto dir = pki::test_pki_dir_from_environment()) return from_test_pki(*dir);
    return generate();
  }();
  return identity;
}

}  // namespace onshi::testing
