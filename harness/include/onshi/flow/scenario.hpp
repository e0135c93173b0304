#pragma once
// A named reception scenario: which patient, how they prove who they are, what they consent
// to, and how the run must end. Scenarios are data (fixtures/scenarios/*.toml).
#include <filesystem>
#include <string>
#include <vector>

#include "onshi/core/clock.hpp"

namespace onshi::flow {

// Per-item consent as the reader asks it (DOMAIN.md §1.2 step 3).
struct ConsentChoices {
  bool medication = false;         // お薬情報 (PharmacistsInfo)
  bool checkups = false;           // 特定健診 (SpecificHealthCheckupsInfo)
  bool diagnosis = false;          // 診療情報 (DiagnosisInfo)
  bool operation = false;          // 手術情報 (OperationInfo)
  bool limit_certificate = false;  // 高額療養費制度を利用する (LimitApplicationCertificateRelated)
};

struct Scenario {
  std::string name;
  std::string description;
  std::string patient;  // synthetic patient id
  // The PINs the patient types, in order. "correct" is the card's PIN; anything else is
  // taken literally (a wrong PIN). Tried until one verifies.
  std::vector<std::string> pin_entries{"correct"};
  ConsentChoices consent;
  std::string expect_failed_step;     // empty: every step passes
  std::string expect_reason_contains;  // checked against the failed step's reason
  std::string expect_validity;        // QualificationValidity the result must carry, if set
  Duration card_wait = std::chrono::seconds(5);
};

// Reads every [[scenario]] of a catalogue file; Error(config) with file:line:key on any fault.
std::vector<Scenario> load_scenarios(const std::filesystem::path& file);
// The shipped catalogue (fixtures/scenarios/catalogue.toml).
std::filesystem::path default_scenario_catalogue();
const Scenario& find_scenario(const std::vector<Scenario>& catalogue, const std::string& name);

}  // namespace onshi::flow
