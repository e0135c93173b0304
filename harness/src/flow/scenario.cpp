#include "onshi/flow/scenario.hpp"

#include <algorithm>
#include <iterator>

#include "onshi/config/toml_reader.hpp"
#include "onshi/core/error.hpp"
#include "onshi/flow/reception_flow.hpp"
#include "onshi/ons/codes.hpp"

namespace onshi::flow {
namespace {

constexpr std::string_view identity_methods[] = {"pin", "face", "visual", "pin-after-face-miss"};

template <typename Range>
bool one_of(const Range& names, std::string_view value) {
  return std::find(std::begin(names), std::end(names), value) != std::end(names);
}

template <typename Range>
std::string listing(const Range& names) {
  std::string out;
  for (std::string_view name : names) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

std::string validity_codes() {
  std::string out;
  for (const auto& e : ons::CodeTable<ons::QualificationValidity>::entries) {
    out += (out.empty() ? "" : ", ") + std::string(e.code) + " (" + std::string(e.label) + ")";
  }
  return out;
}

// The [expect] table: every name must be one the flow can produce, so a typo cannot make a
// scenario expect something that never happens.
void read_expect(const config::TomlReader& r, const toml::table& e, Scenario& s) {
  r.only_keys(e, {"failed_step", "reason_contains", "validity", "identity_method"});
  s.expect_identity_method = r.optional_string(e, "identity_method");
  if (!s.expect_identity_method.empty() && !one_of(identity_methods, s.expect_identity_method)) {
    r.fail(*e.get("identity_method"), "identity_method",
           "unknown identity method '" + s.expect_identity_method + "' (known: " + listing(identity_methods) + ")");
  }
  s.expect_failed_step = r.optional_string(e, "failed_step");
  if (!s.expect_failed_step.empty() && !one_of(step_names, s.expect_failed_step)) {
    r.fail(*e.get("failed_step"), "failed_step",
           "unknown step '" + s.expect_failed_step + "' (steps: " + listing(step_names) + ")");
  }
  s.expect_reason_contains = r.optional_string(e, "reason_contains");
  if (e.contains("reason_contains") && s.expect_failed_step.empty()) {
    r.fail(*e.get("reason_contains"), "reason_contains", "needs failed_step: only a failed step has a reason");
  }
  s.expect_validity = r.optional_string(e, "validity");
  if (e.contains("validity") && !ons::from_code<ons::QualificationValidity>(s.expect_validity)) {
    r.fail(*e.get("validity"), "validity",
           "'" + s.expect_validity + "' is not a QualificationValidity code (" + validity_codes() + ")");
  }
}

}  // namespace

std::vector<Scenario> load_scenarios(const std::filesystem::path& file) {
  return load_scenarios(file, population::load_population());
}

std::vector<Scenario> load_scenarios(const std::filesystem::path& file, const population::Population& population) {
  const config::TomlReader r(file);
  std::vector<Scenario> out;
  for (const toml::table& t : r.array_of_tables(r.root(), "scenario")) {
    r.only_keys(t, {"name", "description", "patient", "pin_entries", "identity", "card", "consent", "expect",
                    "card_wait_ms"});
    Scenario s;
    s.name = r.required_string(t, "name");
    s.description = r.optional_string(t, "description");
    s.patient = r.required_string(t, "patient");
    const bool known_patient = std::any_of(population.patients.begin(), population.patients.end(),
                                           [&](const population::Patient& p) { return p.id == s.patient; });
    if (!known_patient) r.fail(*t.get("patient"), "patient", "no patient '" + s.patient + "' in the population");
    if (t.contains("pin_entries")) {
      s.pin_entries = r.optional_string_array(t, "pin_entries");
      if (s.pin_entries.empty()) r.fail(*t.get("pin_entries"), "pin_entries", "needs at least one entry");
    }
    if (const toml::table* id = r.optional_table(t, "identity")) {
      r.only_keys(*id, {"path", "face_seed", "face_threshold", "camera", "operator_decision"});
      const std::string path = r.optional_string(*id, "path");
      if (path == "pin" || path.empty()) s.identity.path = IdentityPath::pin;
      else if (path == "face") s.identity.path = IdentityPath::face;
      else if (path == "visual") s.identity.path = IdentityPath::visual;
      else r.fail(*id->get("path"), "path", "must be pin, face or visual, not '" + path + "'");
      const std::int64_t seed = r.optional_int(*id, "face_seed", 0);
      if (seed < 0) r.fail(*id->get("face_seed"), "face_seed", "must not be negative");
      s.identity.face_seed = static_cast<std::uint64_t>(seed);
      s.identity.face_threshold = r.optional_double(*id, "face_threshold", 0.8);
      if (s.identity.face_threshold < 0.0 || s.identity.face_threshold > 1.0) {
        r.fail(*id->get("face_threshold"), "face_threshold", "must be 0..1");
      }
      const std::string camera = r.optional_string(*id, "camera");
      if (!camera.empty() && camera != "ok" && camera != "fault") {
        r.fail(*id->get("camera"), "camera", "must be ok or fault");
      }
      s.identity.camera_fault = camera == "fault";
      s.identity.operator_decision = r.optional_string(*id, "operator_decision");
      if (!s.identity.operator_decision.empty() && s.identity.operator_decision != "confirmed" &&
          s.identity.operator_decision != "rejected") {
        r.fail(*id->get("operator_decision"), "operator_decision", "must be confirmed or rejected");
      }
      if (s.identity.path == IdentityPath::visual && s.identity.operator_decision.empty()) {
        r.fail(*id, "operator_decision", "the visual path needs the staff's decision");
      }
    }
    if (const toml::table* card = r.optional_table(t, "card")) {
      r.only_keys(*card, {"auth_certificate"});
      const std::string cert = r.optional_string(*card, "auth_certificate");
      if (!cert.empty() && cert != "valid" && cert != "expired") {
        r.fail(*card->get("auth_certificate"), "auth_certificate", "must be valid or expired");
      }
      s.card.expired_auth_certificate = cert == "expired";
    }
    if (const toml::table* c = r.optional_table(t, "consent")) {
      r.only_keys(*c, {"medication", "checkups", "diagnosis", "operation", "limit_certificate"});
      s.consent.medication = r.optional_bool(*c, "medication", false);
      s.consent.checkups = r.optional_bool(*c, "checkups", false);
      s.consent.diagnosis = r.optional_bool(*c, "diagnosis", false);
      s.consent.operation = r.optional_bool(*c, "operation", false);
      s.consent.limit_certificate = r.optional_bool(*c, "limit_certificate", false);
    }
    if (const toml::table* e = r.optional_table(t, "expect")) read_expect(r, *e, s);
    const std::int64_t wait_ms = r.optional_int(t, "card_wait_ms", 5000);
    if (wait_ms <= 0 || wait_ms > 600000) r.fail(*t.get("card_wait_ms"), "card_wait_ms", "must be 1..600000");
    s.card_wait = std::chrono::milliseconds(wait_ms);
    for (const auto& existing : out) {
      if (existing.name == s.name) r.fail(*t.get("name"), "name", "duplicate scenario name '" + s.name + "'");
    }
    out.push_back(std::move(s));
  }
  if (out.empty()) throw Error(ErrorCode::config, "no [[scenario]] tables", file.string());
  return out;
}

std::string_view to_string(IdentityPath path) {
  switch (path) {
    case IdentityPath::pin: return "pin";
    case IdentityPath::face: return "face";
    case IdentityPath::visual: return "visual";
  }
  return "unknown";
}

std::filesystem::path default_scenario_catalogue() { return config::fixtures_dir() / "scenarios" / "catalogue.toml"; }

const Scenario& find_scenario(const std::vector<Scenario>& catalogue, const std::string& name) {
  std::string names;
  for (const auto& s : catalogue) {
    if (s.name == name) return s;
    names += (names.empty() ? "" : ", ") + s.name;
  }
  throw Error(ErrorCode::not_found, "no scenario '" + name + "' (known: " + names + ")", "scenario catalogue");
}

}  // namespace onshi::flow
