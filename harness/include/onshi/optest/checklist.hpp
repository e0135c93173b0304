#pragma once
// The operational test's checklist (docs/optest.md): a TOML data file of named checks in
// phases — preflight, connectivity, receptions, receipt-computer link, information viewing,
// load smoke. fixtures/optest/checklist.toml is the default; a vendor can bring their own.
// Parsed strictly: an unknown key, kind or phase, a reception without a scenario, a
// duplicate name is an error naming the file, line and key.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "onshi/optest/operator_prompt.hpp"

namespace onshi::optest {

inline constexpr const char* kChecklistSchema = "onshi-hil/optest-checklist/1";

// What a check does. Kinds whose part has not landed run as checks skipped with the reason.
enum class CheckKind {
  doctor,                 // preflight: onshi-hil doctor's findings
  tcp_connect,            // TCP connect to the ONS endpoint
  tls_handshake,          // mutual TLS with the site's terminal certificate
  search_inquiry,         // one insurance-card-path inquiry
  reception,              // a catalogue scenario through the rig
  receipt_computer_link,  // req/ -> res/, a face file taken up
  information_viewing,    // 診療/薬剤・特定健診情報 in the clinic's set-ups
  load_smoke,             // a short open-loop run with thresholds
  confirmation,           // only its prompt: a person confirms what they saw (a witness, a screen)
  hot_plug,               // the reader pulled and plugged back, then a reception (onshi/optest/hot_plug.hpp)
};
std::string_view to_string(CheckKind kind);

struct CheckSpec {
  std::string name;         // unique: "reception.pin"
  std::string phase;        // preflight | connectivity | receptions | receipt-computer | information-viewing | load
  CheckKind kind = CheckKind::reception;
  std::string description;
  bool required = true;     // a required check must pass for the operational test to pass
  std::string scenario;     // reception, hot_plug: the catalogue scenario (hot_plug: default pin-ok)
  std::string patient;      // search_inquiry: the synthetic patient (default P001)
  double limit_ms = 0;      // connectivity: the bound on the timed operation; 0: none
  std::map<std::string, double> budgets_ms;  // reception: per step ("identity_check" -> 3000)
  // [check.prompt]: asked before the check runs (onshi/optest/operator_prompt.hpp). The check
  // goes on with the first answer; any other fails it, unless the answer is what the check
  // uses: sets = "operator_decision" hands it to a reception as the staff's 目視確認 decision.
  std::optional<Prompt> prompt;
  bool prompt_sets_operator_decision = false;
  // load_smoke: the open-loop run and its verdicts (onshi/optest/load_smoke.hpp).
  double load_rate_per_s = 10.0;
  double load_duration_s = 2.0;
  std::size_t load_readers = 2;
  std::vector<std::string> load_thresholds;
  int line = 0;             // where it is in the file, for messages
};

struct Checklist {
  std::filesystem::path source;
  std::string name;
  std::string description;
  std::vector<CheckSpec> checks;  // in file order, which is run order
};

// Throw Error(config) "FILE:LINE: key 'x': ..." for anything wrong, Error(not_found) when the
// file does not exist.
Checklist load_checklist(const std::filesystem::path& file);
Checklist parse_checklist(std::string_view text, const std::string& name);
// fixtures/optest/checklist.toml (config::fixtures_dir()).
std::filesystem::path default_checklist_file();

}  // namespace onshi::optest
