#pragma once
// The on-disk layout of a written test PKI. A contract other components code against:
//
//   DIR/manifest.json   {"schema":"onshi-hil/test-pki/1", "generated":"2025-01-02T03:04:05Z",
//                         "facilities":[{"code","cert","key","serial"}...],   paths relative to DIR,
//                         "patients":[{"id","cert","key","serial"}...],       serial = upper-case hex
//                         "cards":[{"id","cert","key","serial",...}...]}      optional: a generated
//                                                    population's cards (population_cards.hpp)
//   DIR/ons-ca/{cert,key}.pem
//   DIR/ons-server/{cert,key,chain}.pem        chain = server cert + ONS CA
//   DIR/terminal-ca/{cert,key}.pem
//   DIR/terminal-ca/crl.pem                     its CRL, empty and current (crl.hpp)
//   DIR/terminals/<code>/{cert,key}.pem         one per facility (10-digit 医療機関コード)
//   DIR/foreign-ca/{cert,key}.pem
//   DIR/foreign-terminal/{cert,key}.pem         first facility's code, issued by foreign-ca
//   DIR/jpki-ca/{cert,key}.pem
//   DIR/patients/<id>/auth-{cert,key}.pem       JPKI-like user authentication, per patient
//   DIR/patients/<id>/sign-{cert,key}.pem       JPKI-like signature, per patient (and card)
//
// Keys are PKCS#8 PEM, unencrypted, mode 0600.
#include <filesystem>
#include <string>

namespace onshi::pki {

class PkiPaths {
 public:
  explicit PkiPaths(std::filesystem::path root) : root_(std::move(root)) {}

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path manifest() const { return root_ / "manifest.json"; }

  std::filesystem::path ons_ca_cert() const { return root_ / "ons-ca/cert.pem"; }
  std::filesystem::path ons_ca_key() const { return root_ / "ons-ca/key.pem"; }
  std::filesystem::path ons_server_cert() const { return root_ / "ons-server/cert.pem"; }
  std::filesystem::path ons_server_key() const { return root_ / "ons-server/key.pem"; }
  std::filesystem::path ons_server_chain() const { return root_ / "ons-server/chain.pem"; }
  std::filesystem::path terminal_ca_cert() const { return root_ / "terminal-ca/cert.pem"; }
  std::filesystem::path terminal_ca_key() const { return root_ / "terminal-ca/key.pem"; }
  std::filesystem::path terminal_ca_crl() const { return root_ / "terminal-ca/crl.pem"; }
  std::filesystem::path terminal_cert(const std::string& code) const { return root_ / terminal_cert_relative(code); }
  std::filesystem::path terminal_key(const std::string& code) const { return root_ / terminal_key_relative(code); }
  std::filesystem::path foreign_ca_cert() const { return root_ / "foreign-ca/cert.pem"; }
  std::filesystem::path foreign_ca_key() const { return root_ / "foreign-ca/key.pem"; }
  std::filesystem::path foreign_terminal_cert() const { return root_ / "foreign-terminal/cert.pem"; }
  std::filesystem::path foreign_terminal_key() const { return root_ / "foreign-terminal/key.pem"; }
  std::filesystem::path jpki_ca_cert() const { return root_ / "jpki-ca/cert.pem"; }
  std::filesystem::path jpki_ca_key() const { return root_ / "jpki-ca/key.pem"; }
  std::filesystem::path patient_auth_cert(const std::string& id) const { return root_ / patient_auth_cert_relative(id); }
  std::filesystem::path patient_auth_key(const std::string& id) const { return root_ / patient_auth_key_relative(id); }

  // The forms written into manifest.json ("terminals/<code>/cert.pem", ...).
  static std::string terminal_cert_relative(const std::string& code) { return "terminals/" + code + "/cert.pem"; }
  static std::string terminal_key_relative(const std::string& code) { return "terminals/" + code + "/key.pem"; }
  static std::string patient_auth_cert_relative(const std::string& id) { return "patients/" + id + "/auth-cert.pem"; }
  static std::string patient_auth_key_relative(const std::string& id) { return "patients/" + id + "/auth-key.pem"; }
  std::filesystem::path patient_sign_cert(const std::string& id) const { return root_ / patient_sign_cert_relative(id); }
  std::filesystem::path patient_sign_key(const std::string& id) const { return root_ / patient_sign_key_relative(id); }
  static std::string patient_sign_cert_relative(const std::string& id) { return "patients/" + id + "/sign-cert.pem"; }
  static std::string patient_sign_key_relative(const std::string& id) { return "patients/" + id + "/sign-key.pem"; }

 private:
  std::filesystem::path root_;
};

}  // namespace onshi::pki
