#pragma once
// A named reception scenario: which patient, how they prove who they are, what they consent
// to, and how the run must end. Scenarios are data (fixtures/scenarios/*.toml).
#include <cstdint>
#include <filesystem>
#include <string_view>
#include <string>
#include <vector>

#include "onshi/core/clock.hpp"
#include "onshi/population/population.hpp"

namespace onshi::flow {

// Per-item consent as the reader asks it (docs/domain/reception-flow.md, consent items).
struct ConsentChoices {
  bool medication = false;         // お薬情報 (PharmacistsInfo)
  bool checkups = false;           // 特定健診 (SpecificHealthCheckupsInfo)
  bool diagnosis = false;          // 診療情報 (DiagnosisInfo)
  bool operation = false;          // 手術情報 (OperationInfo)
  bool limit_certificate = false;  // 高額療養費制度を利用する (LimitApplicationCertificateRelated)
};

// How the patient proves who they are at the reader (docs/domain/reception-flow.md, identity paths).
enum class IdentityPath { pin, face, visual };
std::string_view to_string(IdentityPath path);

struct IdentityPlan {
  IdentityPath path = IdentityPath::pin;
  // Face path: the camera's match score is simulated, uniform in [0, 1) from this seed, and
  // compared with the threshold; a score below it is a miss, which falls back to the PIN.
  std::uint64_t face_seed = 0;
  double face_threshold = 0.8;
  bool camera_fault = false;      // the camera fails: an outcome, handled by 目視確認 if staff decide
  // 目視確認: "confirmed" / "rejected" by the staff; "" = no operator is asked.
  std::string operator_decision;
};

// Faults the scenario puts on the patient's card.
struct CardPlan {
  bool expired_auth_certificate = false;  // the card carries an expired 利用者証明用電子証明書
};

struct Scenario {
  std::string name;
  std::string description;
  std::string patient;  // synthetic patient id
  // The PINs the patient types, in order. "correct" is the card's PIN; anything else is
  // taken literally (a wrong PIN). Tried until one verifies.
  std::vector<std::string> pin_entries{"correct"};
  IdentityPlan identity;
  CardPlan card;
  ConsentChoices consent;
  std::string expect_identity_method;  // "pin", "face", "visual", "pin-after-face-miss"; empty: any
  std::string expect_failed_step;     // empty: every step passes
  std::string expect_reason_contains;  // checked against the failed step's reason
  std::string expect_validity;        // QualificationValidity the result must carry, if set
  Duration card_wait = std::chrono::seconds(5);
};

// Reads every [[scenario]] of a catalogue file; Error(config) with file:line:key on any fault,
// including a patient not in `population`, a step, identity method or QualificationValidity
// the flow does not know, and an unknown identity path or operator decision.
std::vector<Scenario> load_scenarios(const std::filesystem::path& file, const population::Population& population);
// Same, checked against the shipped population (population::load_population()).
std::vector<Scenario> load_scenarios(const std::filesystem::path& file);
// The shipped catalogue (fixtures/scenarios/catalogue.toml).
std::filesystem::path default_scenario_catalogue();
const Scenario& find_scenario(const std::vector<Scenario>& catalogue, const std::string& name);

}  // namespace onshi::flow
