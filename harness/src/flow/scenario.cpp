#include "onshi/flow/scenario.hpp"

#include "onshi/config/toml_reader.hpp"
#include "onshi/core/error.hpp"
#include "onshi/fixtures/population.hpp"

namespace onshi::flow {

std::vector<Scenario> load_scenarios(const std::filesystem::path& file) {
  const config::TomlReader r(file);
  std::vector<Scenario> out;
  for (const toml::table& t : r.array_of_tables(r.root(), "scenario")) {
    r.only_keys(t, {"name", "description", "patient", "pin_entries", "consent", "expect", "card_wait_ms"});
    Scenario s;
    s.name = r.required_string(t, "name");
    s.description = r.optional_string(t, "description");
    s.patient = r.required_string(t, "patient");
    if (t.contains("pin_entries")) {
      s.pin_entries = r.optional_string_array(t, "pin_entries");
      if (s.pin_entries.empty()) r.fail(*t.get("pin_entries"), "pin_entries", "needs at least one entry");
    }
    if (const toml::table* c = r.optional_table(t, "consent")) {
      r.only_keys(*c, {"medication", "checkups", "diagnosis", "operation", "limit_certificate"});
      s.consent.medication = r.optional_bool(*c, "medication", false);
      s.consent.checkups = r.optional_bool(*c, "checkups", false);
      s.consent.diagnosis = r.optional_bool(*c, "diagnosis", false);
      s.consent.operation = r.optional_bool(*c, "operation", false);
      s.consent.limit_certificate = r.optional_bool(*c, "limit_certificate", false);
    }
    if (const toml::table* e = r.optional_table(t, "expect")) {
      r.only_keys(*e, {"failed_step", "reason_contains", "validity"});
      s.expect_failed_step = r.optional_string(*e, "failed_step");
      s.expect_reason_contains = r.optional_string(*e, "reason_contains");
      s.expect_validity = r.optional_string(*e, "validity");
    }
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

std::filesystem::path default_scenario_catalogue() { return fixtures::fixtures_dir() / "scenarios" / "catalogue.toml"; }

const Scenario& find_scenario(const std::vector<Scenario>& catalogue, const std::string& name) {
  std::string names;
  for (const auto& s : catalogue) {
    if (s.name == name) return s;
    names += (names.empty() ? "" : ", ") + s.name;
  }
  throw Error(ErrorCode::not_found, "no scenario '" + name + "' (known: " + names + ")", "scenario catalogue");
}

}  // namespace onshi::flow
