#pragma once
// The test-PKI recipe (fixtures/pki/recipe.toml): key size, validity, subject templates and
// the names the ONS server certificate answers to.
#include <filesystem>
#include <string>
#include <vector>

#include "onshi/pki/distinguished_name.hpp"

namespace onshi::pki {

struct Recipe {
  unsigned key_bits = 2048;
  int backdate_days = 1;         // notBefore = now - backdate_days
  int ca_validity_days = 3650;   // notAfter of the CAs = now + ca_validity_days
  int leaf_validity_days = 397;  // notAfter of leaf certificates (clamped to the CA's)

  std::vector<std::string> server_dns_names;     // subjectAltName DNS of the ONS server cert
  std::vector<std::string> server_ip_addresses;  // subjectAltName IP (IPv4 or IPv6 text)

  DistinguishedName ons_ca;
  DistinguishedName ons_server;
  DistinguishedName terminal_ca;
  DistinguishedName terminal;      // may use {code}; serialNumber={code} is always appended
  DistinguishedName foreign_ca;
  DistinguishedName jpki_ca;
  DistinguishedName patient_auth;  // may use {card_id}; carries no personal data
  DistinguishedName patient_sign;  // the same card's signature certificate; may use {card_id}
  // The test vendor's evidence-signing CA and certificate (vendor_credential.hpp); optional in
  // the recipe file, these defaults when left out.
  DistinguishedName vendor_ca{{"C", "JP"}, {"O", "onshi-hil test PKI"}, {"CN", "onshi-hil test vendor CA"}};
  DistinguishedName vendor{{"C", "JP"}, {"O", "onshi-hil test PKI"}, {"CN", "onshi-hil test vendor (evidence signing)"}};

  std::filesystem::path source;  // the file it came from ("" when built in code)
};

// config::fixtures_dir() / "pki/recipe.toml".
std::filesystem::path default_recipe_path();

// Throws Error(config) "FILE:LINE: key 'x'" for anything missing, unknown or out of range
// (key_bits < 2048, a non-positive validity, an unparsable IP address, an unknown placeholder),
// Error(not_found) when the file does not exist.
Recipe load_recipe(const std::filesystem::path& file = default_recipe_path());

}  // namespace onshi::pki
