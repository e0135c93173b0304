// onshi-hil check-receipt-computer: the harness as the terminal for a receipt computer under
// test, as one run (docs/sut.md): the rig's [sut] launched or external, a reception into
// face/, the SUT's own request answered in res/, consumption measured, the SUT stopped.
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "commands.hpp"
#include "onshi/config/cli11.hpp"
#include "onshi/receipt_computer_check/receipt_computer_check.hpp"
#include "onshi/report/console_reporter.hpp"
#include "onshi/report/jsonl_reporter.hpp"
#include "onshi/report/junit_reporter.hpp"
#include "onshi/rig/rig_config.hpp"

namespace onshi::cli {
namespace {

struct CheckReceiptComputerOptions {
  std::string rig_file;
  std::string scenario;
  std::string record_file;
  std::string junit_file;
  std::string pki_dir;
  std::string output_dir;
  unsigned settle_ms = 500;
};

}  // namespace

Command add_check_receipt_computer_command(CLI::App& app) {
  auto options = std::make_shared<CheckReceiptComputerOptions>();
  CLI::App* cmd = app.add_subcommand(
      "check-receipt-computer",
      "Check a receipt computer under test (the rig's [sut]): the harness is the terminal; a reception lands in\n"
      "face/, the receipt computer must take it up and its own request is answered in res/ (docs/sut.md).\n"
      "Exit 0 when no check failed (one the rig makes moot is skipped), 1 when one failed.");
  cmd->add_option("--rig", options->rig_file, "rig file with a [sut] table (e.g. rigs/sut-receipt-computer.toml)")
      ->required();
  cmd->add_option("--scenario", options->scenario, "scenario of the reception (default: the rig's)");
  cmd->add_option("--record", options->record_file,
                  "write the run's record as JSON Lines events (docs/records.md); run_ended's attributes hold the\n"
                  "SUT's redacted stdout and stderr (sut_stdout, sut_stderr) and how it ended (sut_exit)");
  cmd->add_option("--junit", options->junit_file, "write JUnit XML here: one testcase per check");
  cmd->add_option("--pki", options->pki_dir, "test-PKI directory (overrides the rig's)");
  cmd->add_option("--output", options->output_dir, "folder root req/ res/ face/ (overrides the rig's [output] dir)");
  cmd->add_option("--settle-ms", options->settle_ms, "settle time for request files written in place (default 500)")
      ->check(CLI::Range(0U, 600'000U));
  return [options]() {
    const rig::RigConfig config = rig::load_rig(options->rig_file);
    receipt_computer_check::CheckOptions check;
    check.scenario = options->scenario;
    if (!options->pki_dir.empty()) check.pki_dir = options->pki_dir;
    if (!options->output_dir.empty()) check.output_dir = options->output_dir;
    check.settle = std::chrono::milliseconds(options->settle_ms);
    std::cout << "onshi-hil check-receipt-computer: rig " << config.name << " (" << options->rig_file << ")" << std::endl;
    report::ConsoleReporter console(std::cout);
    run::EventFanout events;
    events.add(console);
    std::optional<report::JsonLinesReporter> record;
    std::optional<report::JUnitReporter> junit;
    if (!options->record_file.empty()) events.add(record.emplace(options->record_file));
    if (!options->junit_file.empty()) events.add(junit.emplace(options->junit_file));
    const run::RunResult result = receipt_computer_check::check_receipt_computer(config, check, &events);
    if (record) {
      record->finish();
      std::cout << "record: " << options->record_file << "\n";
    }
    if (junit) {
      junit->finish();
      std::cout << "junit: " << options->junit_file << "\n";
    }
    std::cout << "receipt computer: " << result.attribute("sut") << ", " << result.attribute("sut_exit") << std::endl;
    // A phase the rig makes moot (an external SUT is not stopped) is skipped, not failed; one
    // skipped after a failure follows a failed phase.
    bool failed = false;
    for (const run::PhaseResult& phase : result.phases) {
      failed = failed || phase.verdict == run::PhaseVerdict::failed || phase.verdict == run::PhaseVerdict::error;
    }
    return failed ? exit_failed : exit_ok;
  };
}

}  // namespace onshi::cli
