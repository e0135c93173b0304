#include <set>

#include <gtest/gtest.h>
#include <openssl/asn1.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "onshi/core/error.hpp"
#include "onshi/pki/issue.hpp"
#include "onshi/pki/test_pki.hpp"
#include "shared_test_pki.hpp"

namespace onshi::pki {
namespace {

using testing::shared_pki;
using testing::shared_population;
using testing::shared_recipe;
using testing::verify_chain;

std::vector<std::pair<std::string, const Credential*>> all_credentials(const TestPki& pki) {
  std::vector<std::pair<std::string, const Credential*>> all = {
      {"ons_ca", &pki.ons_ca},         {"ons_server", &pki.ons_server},
      {"terminal_ca", &pki.terminal_ca}, {"foreign_ca", &pki.foreign_ca},
      {"foreign_terminal", &pki.foreign_terminal}, {"jpki_ca", &pki.jpki_ca}};
  for (const auto& [code, c] : pki.terminals) all.emplace_back("terminal " + code, &c);
  for (const auto& [id, c] : pki.patients) all.emplace_back("patient " + id, &c);
  return all;
}

bool critical(const crypto::Certificate& cert, int nid) {
  const int index = X509_get_ext_by_NID(cert.get(), nid, -1);
  return index >= 0 && X509_EXTENSION_get_critical(X509_get_ext(cert.get(), index)) == 1;
}

TEST(pkiTestPki, HasEveryFacilityAndPatient) {
  const auto& pki = shared_pki();
  const auto& population = shared_population();
  ASSERT_EQ(pki.terminals.size(), population.facilities.size());
  for (const auto& f : population.facilities) EXPECT_TRUE(pki.terminal(f.code)) << f.code;
  ASSERT_EQ(pki.patients.size(), population.patients.size());
  for (const auto& p : population.patients) EXPECT_TRUE(pki.patient(p.id)) << p.id;
  EXPECT_THROW(pki.terminal("0000000000"), Error);
  EXPECT_THROW(pki.patient("P999"), Error);
  EXPECT_EQ(unusable_reason(pki, shared_recipe(), population, std::chrono::system_clock::now()), "");
}

TEST(pkiTestPki, ChainsVerifyAgainstTheRightCaOnly) {
  const auto& pki = shared_pki();
  EXPECT_EQ(verify_chain(pki.ons_server.certificate, pki.ons_ca.certificate, X509_PURPOSE_SSL_SERVER), X509_V_OK);
  EXPECT_NE(verify_chain(pki.ons_server.certificate, pki.terminal_ca.certificate, X509_PURPOSE_SSL_SERVER), X509_V_OK);
  // A server certificate is not a client certificate and vice versa.
  EXPECT_NE(verify_chain(pki.ons_server.certificate, pki.ons_ca.certificate, X509_PURPOSE_SSL_CLIENT), X509_V_OK);

  for (const auto& [code, terminal] : pki.terminals) {
    EXPECT_EQ(verify_chain(terminal.certificate, pki.terminal_ca.certificate, X509_PURPOSE_SSL_CLIENT), X509_V_OK) << code;
    EXPECT_NE(verify_chain(terminal.certificate, pki.foreign_ca.certificate, X509_PURPOSE_SSL_CLIENT), X509_V_OK) << code;
    EXPECT_NE(verify_chain(terminal.certificate, pki.terminal_ca.certificate, X509_PURPOSE_SSL_SERVER), X509_V_OK) << code;
  }
  EXPECT_NE(verify_chain(pki.foreign_terminal.certificate, pki.terminal_ca.certificate, X509_PURPOSE_SSL_CLIENT), X509_V_OK);
  EXPECT_EQ(verify_chain(pki.foreign_terminal.certificate, pki.foreign_ca.certificate, X509_PURPOSE_SSL_CLIENT), X509_V_OK);

  for (const auto& [id, patient] : pki.patients) {
    EXPECT_EQ(verify_chain(patient.certificate, pki.jpki_ca.certificate, X509_PURPOSE_SSL_CLIENT), X509_V_OK) << id;
    EXPECT_NE(verify_chain(patient.certificate, pki.terminal_ca.certificate, X509_PURPOSE_SSL_CLIENT), X509_V_OK) << id;
  }
}

TEST(pkiTestPki, ServerCertificateNamesLoopback) {
  const auto& server = shared_pki().ons_server.certificate;
  EXPECT_EQ(X509_check_host(server.get(), "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(server.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(server.get(), "::1", 0), 1);
  EXPECT_NE(X509_check_host(server.get(), "example.com", 0, 0, nullptr), 1);

  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(server.get(), NID_subject_alt_name, nullptr, nullptr));
  ASSERT_NE(names, nullptr);
  std::multiset<std::string> found;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type == GEN_DNS) {
      found.insert("DNS:" + std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(name->d.dNSName)),
                                        static_cast<std::size_t>(ASN1_STRING_length(name->d.dNSName))));
    } else if (name->type == GEN_IPADD) {
      found.insert("IP/" + std::to_string(ASN1_STRING_length(name->d.iPAddress)));
    }
  }
  GENERAL_NAMES_free(names);
  EXPECT_EQ(found, (std::multiset<std::string>{"DNS:localhost", "IP/4", "IP/16"}));

  EXPECT_TRUE(X509_get_extended_key_usage(server.get()) & XKU_SSL_SERVER);
  EXPECT_EQ(X509_get_key_usage(server.get()), static_cast<std::uint32_t>(KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT));
  EXPECT_NE(X509_check_ca(server.get()), 1);
}

TEST(pkiTestPki, CasAreCas) {
  const auto& pki = shared_pki();
  for (const auto* ca : {&pki.ons_ca, &pki.terminal_ca, &pki.foreign_ca, &pki.jpki_ca}) {
    EXPECT_EQ(X509_check_ca(ca->certificate.get()), 1) << ca->certificate.subject();
    EXPECT_TRUE(critical(ca->certificate, NID_basic_constraints));
    EXPECT_EQ(X509_get_key_usage(ca->certificate.get()), static_cast<std::uint32_t>(KU_KEY_CERT_SIGN | KU_CRL_SIGN));
    EXPECT_TRUE(ca->certificate.issued_by(ca->certificate));  // self-signed
    EXPECT_EQ(ca->certificate.subject(), ca->certificate.issuer());
  }
  std::set<std::string> subjects;
  for (const auto* ca : {&pki.ons_ca, &pki.terminal_ca, &pki.foreign_ca, &pki.jpki_ca}) subjects.insert(ca->certificate.subject());
  EXPECT_EQ(subjects.size(), 4u);
}

TEST(pkiTestPki, TerminalCertificatesCarryTheFacilityCode) {
  const auto& pki = shared_pki();
  for (const auto& [code, terminal] : pki.terminals) {
    EXPECT_EQ(terminal.certificate.subject_attribute("serialNumber"), code);
    EXPECT_EQ(terminal.certificate.subject_attribute("CN"), "onshi-hil terminal " + code);
    EXPECT_EQ(terminal.certificate.subject_attribute("O"), "onshi-hil test PKI");
    EXPECT_TRUE(X509_get_extended_key_usage(terminal.certificate.get()) & XKU_SSL_CLIENT);
  }
  const std::string first = shared_population().facilities.front().code;
  EXPECT_EQ(pki.foreign_terminal_code, first);
  EXPECT_EQ(pki.foreign_terminal.certificate.subject_attribute("serialNumber"), first);
  // Same subject as the genuine one: only the issuer tells them apart.
  EXPECT_EQ(pki.foreign_terminal.certificate.subject(), pki.terminal(first).certificate.subject());
  EXPECT_NE(pki.foreign_terminal.certificate.issuer(), pki.terminal(first).certificate.issuer());
}

TEST(pkiTestPki, PatientAuthCredentials) {
  const auto& pki = shared_pki();
  std::set<std::string> common_names;
  for (const auto& patient : shared_population().patients) {
    const Credential& c = pki.patient(patient.id);
    EXPECT_EQ(c.key.bits(), 2048u) << patient.id;
    EXPECT_TRUE(c.key_matches()) << patient.id;
    EXPECT_EQ(X509_get_key_usage(c.certificate.get()), static_cast<std::uint32_t>(KU_DIGITAL_SIGNATURE));
    // No personal data in the subject, like a real 利用者証明用電子証明書.
    const std::string subject = c.certificate.subject();
    for (const std::string& personal : {patient.id, patient.name, patient.my_number, patient.birthdate, patient.address}) {
      EXPECT_EQ(subject.find(personal), std::string::npos) << subject << " contains " << personal;
    }
    EXPECT_EQ(c.certificate.subject_attribute("C"), "JP");
    common_names.insert(c.certificate.subject_attribute("CN"));
    // The card signs DigestInfo with the raw key; the certificate verifies it.
    const Bytes message = to_bytes("challenge");
    EXPECT_TRUE(c.certificate.verify_sha256_pkcs1(message, c.key.sign_pkcs1_raw(crypto::sha256_digest_info(message))));
  }
  EXPECT_EQ(common_names.size(), shared_population().patients.size());
}

TEST(pkiTestPki, EveryCertificateIsX509v3Sha256WithKeyIdentifiersAndFreshSerial) {
  const auto& pki = shared_pki();
  const auto& recipe = shared_recipe();
  std::set<std::string> serials;
  for (const auto& [name, c] : all_credentials(pki)) {
    SCOPED_TRACE(name);
    X509* x = c->certificate.get();
    EXPECT_EQ(X509_get_version(x), X509_VERSION_3);
    EXPECT_EQ(X509_get_signature_nid(x), NID_sha256WithRSAEncryption);
    EXPECT_NE(X509_get0_subject_key_id(x), nullptr);
    EXPECT_NE(X509_get0_authority_key_id(x), nullptr);
    EXPECT_EQ(c->key.bits(), recipe.key_bits);
    EXPECT_TRUE(c->key_matches());
    EXPECT_GE(c->certificate.serial_hex().size(), 16u);  // >= 64 bits
    serials.insert(c->certificate.serial_hex());
    const auto lifetime = c->certificate.not_after() - c->certificate.not_before();
    const bool is_ca = X509_check_ca(x) == 1;
    const int days = (is_ca ? recipe.ca_validity_days : recipe.leaf_validity_days) + recipe.backdate_days;
    EXPECT_EQ(std::chrono::duration_cast<std::chrono::hours>(lifetime).count(), days * 24);
    EXPECT_LE(c->certificate.not_before(), std::chrono::system_clock::now());
  }
  EXPECT_EQ(serials.size(), all_credentials(pki).size());
  // Each leaf's AKI is its CA's SKI.
  const ASN1_OCTET_STRING* ca_ski = X509_get0_subject_key_id(pki.terminal_ca.certificate.get());
  for (const auto& [code, t] : pki.terminals) {
    EXPECT_EQ(ASN1_OCTET_STRING_cmp(X509_get0_authority_key_id(t.certificate.get()), ca_ski), 0);
  }
}

TEST(pkiTestPki, UnusableWhenPopulationOrTimeDiffers) {
  const auto& pki = shared_pki();
  const auto now = std::chrono::system_clock::now();
  population::Population fewer = shared_population();
  fewer.patients.pop_back();
  EXPECT_NE(unusable_reason(pki, shared_recipe(), fewer, now), "");
  population::Population other = shared_population();
  other.facilities.front().code = "9999999999";
  EXPECT_NE(unusable_reason(pki, shared_recipe(), other, now), "");
  Recipe bigger = shared_recipe();
  bigger.key_bits = 3072;
  EXPECT_NE(unusable_reason(pki, bigger, shared_population(), now), "");
  EXPECT_NE(unusable_reason(pki, shared_recipe(), shared_population(), now + std::chrono::hours(24 * 4000)), "");
  EXPECT_NE(unusable_reason(pki, shared_recipe(), shared_population(), now - std::chrono::hours(24 * 3)), "");
}

TEST(pkiTestPki, GenerateRejectsUnfitPopulation) {
  population::Population population;
  EXPECT_THROW(generate_test_pki(shared_recipe(), population), Error);  // no facility
  population.facilities.push_back({"12345", "short code"});
  EXPECT_THROW(generate_test_pki(shared_recipe(), population), Error);
  population.facilities.front().code = "1234567890";
  population.patients.push_back({});
  population.patients.back().id = "../escape";
  EXPECT_THROW(generate_test_pki(shared_recipe(), population), Error);
}

}  // namespace
}  // namespace onshi::pki
