#include "onshi/pki/crl.hpp"

#include <algorithm>
#include <memory>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "onshi/core/error.hpp"
#include "onshi/crypto/bio.hpp"
#include "onshi/pki/test_pki.hpp"

namespace onshi::pki {
namespace {

struct CrlDeleter {
  void operator()(X509_CRL* p) const { X509_CRL_free(p); }
};
struct TimeDeleter {
  void operator()(ASN1_TIME* p) const { ASN1_TIME_free(p); }
};
using TimePtr = std::unique_ptr<ASN1_TIME, TimeDeleter>;

[[noreturn]] void fail(const std::string& what) {
  throw Error(ErrorCode::crypto, what + ": " + crypto::drain_openssl_errors(), "CRL");
}

TimePtr asn1_time(WallTime t) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  TimePtr out(ASN1_TIME_set(nullptr, static_cast<time_t>(seconds)));
  if (!out) fail("ASN1_TIME_set");
  return out;
}

}  // namespace

std::string issue_crl_pem(const Credential& ca, const CrlSpec& spec) {
  if (!ca) throw Error(ErrorCode::invalid_argument, "no CA credential", "CRL");
  if (spec.next_update <= spec.this_update) {
    throw Error(ErrorCode::invalid_argument, "next_update must be after this_update", "CRL");
  }
  std::unique_ptr<X509_CRL, CrlDeleter> crl(X509_CRL_new());
  if (!crl || X509_CRL_set_version(crl.get(), 1) != 1) fail("X509_CRL_new");  // v2
  if (X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(ca.certificate.get())) != 1) fail("issuer");
  if (X509_CRL_set1_lastUpdate(crl.get(), asn1_time(spec.this_update).get()) != 1 ||
      X509_CRL_set1_nextUpdate(crl.get(), asn1_time(spec.next_update).get()) != 1) {
    fail("update times");
  }
  const WallTime revoked_at = spec.revocation_time == WallTime{} ? spec.this_update : spec.revocation_time;
  for (const crypto::Certificate& cert : spec.revoked) {
    if (X509_NAME_cmp(X509_get_issuer_name(cert.get()), X509_get_subject_name(ca.certificate.get())) != 0) {
      throw Error(ErrorCode::invalid_argument, "certificate " + cert.serial_hex() + " is not issued by the CA",
                  "CRL of " + ca.certificate.subject());
    }
    X509_REVOKED* entry = X509_REVOKED_new();
    // set_serialNumber copies but takes a non-const pointer: hand it its own copy.
    std::unique_ptr<ASN1_INTEGER, decltype(&ASN1_INTEGER_free)> serial(ASN1_INTEGER_dup(X509_get0_serialNumber(cert.get())),
                                                                       ASN1_INTEGER_free);
    if (entry == nullptr || !serial || X509_REVOKED_set_serialNumber(entry, serial.get()) != 1 ||
        X509_REVOKED_set_revocationDate(entry, asn1_time(revoked_at).get()) != 1 ||
        X509_CRL_add0_revoked(crl.get(), entry) != 1) {
      X509_REVOKED_free(entry);
      fail("revoked entry");
    }
  }
  X509_CRL_sort(crl.get());
  if (X509_CRL_sign(crl.get(), ca.key.get(), EVP_sha256()) == 0) fail("X509_CRL_sign");
  crypto::BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509_CRL(bio.get(), crl.get()) != 1) fail("PEM_write_bio_X509_CRL");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string terminal_ca_crl_pem(const TestPki& pki) {
  WallTime next_update = pki.terminal_ca.certificate.not_after();
  for (const auto& [code, terminal] : pki.terminals) next_update = std::min(next_update, terminal.certificate.not_after());
  CrlSpec spec;
  spec.this_update = std::max(pki.generated, pki.terminal_ca.certificate.not_before());
  spec.next_update = next_update;
  return issue_crl_pem(pki.terminal_ca, spec);
}

}  // namespace onshi::pki
