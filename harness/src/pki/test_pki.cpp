#include "onshi/pki/test_pki.hpp"

#include <cstdlib>
#include <set>

#include "onshi/core/error.hpp"
#include "onshi/ons/medical_institution_code.hpp"
#include "onshi/pki/issue.hpp"

namespace onshi::pki {
namespace {

void check_population(const population::Population& population) {
  if (population.facilities.empty()) {
    throw Error(ErrorCode::config, "the population has no facility (the test PKI needs at least one)", "population");
  }
  std::set<std::string> seen;
  for (const auto& f : population.facilities) {
    if (const auto problem = ons::medical_institution_code_problem(f.code)) {
      throw Error(ErrorCode::config, "facility: " + *problem, "population");
    }
    if (!seen.insert(f.code).second) throw Error(ErrorCode::config, "duplicate facility code " + f.code, "population");
  }
  seen.clear();
  for (const auto& p : population.patients) {
    if (!is_card_directory_id(p.id)) {
      throw Error(ErrorCode::config, "patient id '" + p.id + "' is not usable as a directory name", "population");
    }
    if (!seen.insert(p.id).second) throw Error(ErrorCode::config, "duplicate patient id " + p.id, "population");
  }
}

}  // namespace

const Credential& TestPki::terminal(const std::string& code) const {
  const auto found = terminals.find(code);
  if (found == terminals.end()) throw Error(ErrorCode::not_found, "no terminal certificate for facility " + code, "test PKI");
  return found->second;
}

const Credential& TestPki::patient_signature(const std::string& id) const {
  if (const auto found = patient_signatures.find(id); found != patient_signatures.end()) return found->second;
  if (const auto card = population_cards.find(id); card != population_cards.end()) return card->second.sign;
  throw Error(ErrorCode::not_found, "no signature certificate for patient " + id, "test PKI");
}

const Credential& TestPki::patient(const std::string& id) const {
  if (const auto found = patients.find(id); found != patients.end()) return found->second;
  if (const auto card = population_cards.find(id); card != population_cards.end()) return card->second.auth;
  throw Error(ErrorCode::not_found, "no auth certificate for patient " + id, "test PKI");
}

TestPki generate_test_pki(const Recipe& recipe, const population::Population& population, const Clock& clock) {
  check_population(population);
  const WallTime now = std::chrono::time_point_cast<std::chrono::seconds>(clock.wall_now());
  const WallTime not_before = now - recipe.backdate_days * std::chrono::days{1};
  const WallTime ca_not_after = now + recipe.ca_validity_days * std::chrono::days{1};
  const WallTime leaf_not_after = std::min(ca_not_after, now + recipe.leaf_validity_days * std::chrono::days{1});

  auto leaf = [&](const DistinguishedName& subject, CertificateProfile profile, const Credential& issuer) {
    CertificateSpec spec;
    spec.subject = subject;
    spec.profile = profile;
    spec.not_before = not_before;
    spec.not_after = leaf_not_after;
    if (profile == CertificateProfile::server) {
      spec.dns_names = recipe.server_dns_names;
      spec.ip_addresses = recipe.server_ip_addresses;
    }
    Credential out;
    out.key = crypto::PrivateKey::generate_rsa(recipe.key_bits);
    out.certificate = issue_certificate(spec, out.key, &issuer);
    return out;
  };
  auto terminal_subject = [&](const std::string& code) {
    DistinguishedName subject = expand_placeholders(recipe.terminal, {{"code", code}});
    subject.push_back({"serialNumber", code});
    return subject;
  };

  TestPki pki;
  pki.generated = now;
  pki.ons_ca = make_ca(recipe.ons_ca, not_before, ca_not_after, recipe.key_bits);
  pki.ons_server = leaf(recipe.ons_server, CertificateProfile::server, pki.ons_ca);

  pki.terminal_ca = make_ca(recipe.terminal_ca, not_before, ca_not_after, recipe.key_bits);
  for (const auto& facility : population.facilities) {
    pki.terminals.emplace(facility.code,
                          leaf(terminal_subject(facility.code), CertificateProfile::client, pki.terminal_ca));
  }

  pki.foreign_ca = make_ca(recipe.foreign_ca, not_before, ca_not_after, recipe.key_bits);
  pki.foreign_terminal_code = population.facilities.front().code;
  pki.foreign_terminal = leaf(terminal_subject(pki.foreign_terminal_code), CertificateProfile::client, pki.foreign_ca);

  pki.jpki_ca = make_ca(recipe.jpki_ca, not_before, ca_not_after, recipe.key_bits);
  for (const auto& patient : population.patients) {
    CardCredentials card = issue_card_credentials(recipe, pki.jpki_ca, patient.id, not_before, leaf_not_after,
                                                  crypto::PrivateKey::generate_rsa(recipe.key_bits),
                                                  crypto::PrivateKey::generate_rsa(recipe.key_bits));
    pki.patients.emplace(patient.id, std::move(card.auth));
    pki.patient_signatures.emplace(patient.id, std::move(card.sign));
  }
  return pki;
}

void reissue_ons_server(TestPki& pki, const Recipe& recipe, const Clock& clock) {
  const WallTime now = std::chrono::time_point_cast<std::chrono::seconds>(clock.wall_now());
  CertificateSpec spec;
  spec.subject = recipe.ons_server;
  spec.profile = CertificateProfile::server;
  spec.not_before = now - recipe.backdate_days * std::chrono::days{1};
  spec.not_after = std::min(pki.ons_ca.certificate.not_after(), now + recipe.leaf_validity_days * std::chrono::days{1});
  spec.dns_names = recipe.server_dns_names;
  spec.ip_addresses = recipe.server_ip_addresses;
  Credential server;
  server.key = crypto::PrivateKey::generate_rsa(recipe.key_bits);
  server.certificate = issue_certificate(spec, server.key, &pki.ons_ca);
  pki.ons_server = std::move(server);
}

std::string unusable_reason(const TestPki& pki, const Recipe& recipe, const population::Population& population,
                            WallTime now, std::chrono::hours margin) {
  std::set<std::string> codes;
  for (const auto& f : population.facilities) codes.insert(f.code);
  std::set<std::string> have_codes;
  for (const auto& [code, credential] : pki.terminals) have_codes.insert(code);
  if (codes != have_codes) return "its facilities differ from the population";
  std::set<std::string> ids;
  for (const auto& p : population.patients) ids.insert(p.id);
  std::set<std::string> have_ids;
  for (const auto& [id, credential] : pki.patients) have_ids.insert(id);
  if (ids != have_ids) return "its patients differ from the population";
  std::set<std::string> have_signatures;
  for (const auto& [id, credential] : pki.patient_signatures) have_signatures.insert(id);
  if (ids != have_signatures) return "its patients' signature certificates differ from the population";
  if (population.facilities.empty() || pki.foreign_terminal_code != population.facilities.front().code) {
    return "the foreign terminal certificate does not carry the first facility's code";
  }

  std::vector<std::pair<std::string, const Credential*>> all = {
      {"ons-ca", &pki.ons_ca},           {"ons-server", &pki.ons_server}, {"terminal-ca", &pki.terminal_ca},
      {"foreign-ca", &pki.foreign_ca},   {"foreign-terminal", &pki.foreign_terminal},
      {"jpki-ca", &pki.jpki_ca}};
  for (const auto& [code, credential] : pki.terminals) all.emplace_back("terminals/" + code, &credential);
  for (const auto& [id, credential] : pki.patients) all.emplace_back("patients/" + id, &credential);
  for (const auto& [id, credential] : pki.patient_signatures) all.emplace_back("patients/" + id + "/sign", &credential);
  for (const auto& [name, credential] : all) {
    if (!*credential) return name + " is missing";
    if (credential->key.bits() != recipe.key_bits) {
      return name + " has a " + std::to_string(credential->key.bits()) + "-bit key, the recipe asks for " +
             std::to_string(recipe.key_bits);
    }
    if (credential->certificate.not_before() > now) return name + " is not yet valid";
    if (credential->certificate.not_after() <= now + margin) return name + " expires within the margin";
  }
  return {};
}

std::optional<std::filesystem::path> test_pki_dir_from_environment() {
  if (const char* env = std::getenv("ONSHI_TEST_PKI"); env != nullptr && *env != '\0') return std::filesystem::path(env);
  return std::nullopt;
}

}  // namespace onshi::pki
