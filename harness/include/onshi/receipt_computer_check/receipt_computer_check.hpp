#pragma once
// One run of the harness as the terminal for a receipt computer under test (docs/sut.md,
// "Checking a receipt computer"): the rig's card, reader and ONS in the harness, its [sut] the
// receipt computer (launched or external), its [output] the shared folders. As a plan of
// phases on the run executor:
//
//   sut_start → reception → face_taken_up → sut_request_answered → answer_taken_up →
//   sut_journal → sut_stop
//
// A reception at the emulated reader lands in face/; the receipt computer must take it up
// within [sut] consume_deadline_ms (a measurement; a file left lying fails naming it); its
// own request in req/ is answered in res/ by the harness's terminal (onshi/terminal) and must
// be taken up too; what the SUT reports in its journal ([sut] journal) must accept every file
// the harness wrote; and it must stop on SIGTERM with nothing of its process group left. A
// SUT that dies mid-run fails the phase running then, naming its exit code or signal.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "onshi/rig/rig_config.hpp"
#include "onshi/run/event_sink.hpp"
#include "onshi/run/run_result.hpp"

namespace onshi::receipt_computer_check {

struct CheckOptions {
  std::string scenario;  // empty: the rig's
  std::optional<std::filesystem::path> pki_dir;
  std::optional<std::filesystem::path> output_dir;
  std::chrono::milliseconds settle{500};  // the terminal's settle time for request files written in place
};

// The run's phases in order, for callers that list or bind them (optest).
inline constexpr const char* kPhases[] = {"sut_start",       "reception",   "face_taken_up", "sut_request_answered",
                                          "answer_taken_up", "sut_journal", "sut_stop"};

// Runs the check; `events` (may be null) sees it as it goes. Throws Error(config) when the rig
// has no [sut] (and what wiring the rig throws); everything the SUT does is a phase's result.
// The result's attributes carry the SUT's redacted stdout and stderr (sut_stdout, sut_stderr)
// and how it ended (sut_exit).
run::RunResult check_receipt_computer(const rig::RigConfig& rig, const CheckOptions& options = {},
                                      run::EventSink* events = nullptr);

}  // namespace onshi::receipt_computer_check
