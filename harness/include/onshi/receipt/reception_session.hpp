#pragma once
// The card receptions the harness, as receipt computer and patient, drives at a terminal under
// test (docs/card-receptions.md): per reception a catalogue scenario (the
// patient, the identity path and consents chosen at the terminal's panel, the validity the
// answer must carry) and what the patient types on the PIN pad. Loaded from
// fixtures/receipt/receptions.toml; errors name the file, line and key.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "onshi/flow/scenario.hpp"
#include "onshi/population/population.hpp"

namespace onshi::receipt {

inline constexpr const char* kReceptionSessionSchema = "onshi-hil/receipt-receptions/1";

struct SessionReception {
  std::string name;  // the step is reception.<name>
  flow::Scenario scenario;
  std::vector<std::string> pins;  // what the patient types, "correct" resolved to the card's PIN; never logged
  std::string where;  // "FILE:LINE"
};

struct ReceptionSession {
  std::string name;
  std::chrono::milliseconds face_deadline{30'000};  // from the card placed to its face/ file
  std::vector<SessionReception> receptions;
  std::filesystem::path source;
};

// config::fixtures_dir() / "receipt/receptions.toml".
std::filesystem::path default_reception_session_file();

// Throws Error(config) "FILE:LINE: key 'x'" for an unknown key, a scenario not in `catalogue`
// (listing the known), one whose reception is meant to fail (no face/ file to match), one that
// shapes the virtual card, a duplicate name, a deadline outside 1 ms..1 h, or no [[reception]].
ReceptionSession load_reception_session(const std::filesystem::path& file, const population::Population& population,
                                        const std::vector<flow::Scenario>& catalogue);

}  // namespace onshi::receipt
