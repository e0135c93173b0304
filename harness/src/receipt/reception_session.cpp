#include "onshi/receipt/reception_session.hpp"

#include <set>

#include "onshi/config/data_paths.hpp"
#include "onshi/config/toml_reader.hpp"
#include "onshi/core/error.hpp"

namespace onshi::receipt {

std::filesystem::path default_reception_session_file() { return config::fixtures_dir() / "receipt" / "receptions.toml"; }

ReceptionSession load_reception_session(const std::filesystem::path& file, const population::Population& population,
                                        const std::vector<flow::Scenario>& catalogue) {
  const config::TomlReader r(file);
  const toml::table& root = r.root();
  r.only_keys(root, {"schema", "name", "face_deadline_ms", "reception"});
  if (r.required_string(root, "schema") != kReceptionSessionSchema) {
    r.fail(*root.get("schema"), "schema", std::string("expected \"") + kReceptionSessionSchema + "\"");
  }
  ReceptionSession session;
  session.source = file;
  session.name = r.optional_string(root, "name", file.stem().string());
  const std::int64_t deadline = r.optional_int(root, "face_deadline_ms", 30'000);
  if (deadline < 1 || deadline > 3'600'000) {
    r.fail(*root.get("face_deadline_ms"), "face_deadline_ms", "expected 1..3600000 milliseconds");
  }
  session.face_deadline = std::chrono::milliseconds(deadline);

  std::set<std::string> names;
  for (const toml::table& t : r.array_of_tables(root, "reception")) {
    r.only_keys(t, {"name", "scenario", "pins"});
    SessionReception reception;
    reception.where = r.where(t);
    reception.name = r.required_string(t, "name");
    if (!names.insert(reception.name).second) {
      r.fail(*t.get("name"), "name", "duplicate reception name '" + reception.name + "'");
    }
    const std::string scenario = r.required_string(t, "scenario");
    try {
      reception.scenario = flow::find_scenario(catalogue, scenario);
    } catch (const Error& e) {
      r.fail(*t.get("scenario"), "scenario", e.message());
    }
    if (!reception.scenario.expect_failed_step.empty()) {
      r.fail(*t.get("scenario"), "scenario",
             "scenario '" + scenario + "' fails at " + reception.scenario.expect_failed_step +
                 ": a reception step matches the face/ file a reception delivers");
    }
    if (reception.scenario.card.expired_auth_certificate) {
      r.fail(*t.get("scenario"), "scenario", "scenario '" + scenario + "' shapes the card, which a reception step does not");
    }
    const population::Patient& patient = population.patient(reception.scenario.patient);
    const std::vector<std::string> entries =
        t.contains("pins") ? r.optional_string_array(t, "pins") : reception.scenario.pin_entries;
    for (const std::string& entry : entries) reception.pins.push_back(entry == "correct" ? patient.auth_pin : entry);
    session.receptions.push_back(std::move(reception));
  }
  if (session.receptions.empty()) throw Error(ErrorCode::config, "the session has no [[reception]]", file.string());
  return session;
}

}  // namespace onshi::receipt
