// onshi-hil run: one scenario on a rig; the console table, the JSON record and JUnit XML are
// reporters fed by the run executor's events (onshi/report/reporter.hpp).
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "onshi/config/cli11.hpp"
#include "commands.hpp"
#include "onshi/report/console_reporter.hpp"
#include "onshi/report/json_reporter.hpp"
#include "onshi/report/jsonl_reporter.hpp"
#include "onshi/report/junit_reporter.hpp"
#include "onshi/rig/rig_config.hpp"
#include "onshi/rig/wired_rig.hpp"

namespace onshi::cli {
namespace {

struct RunOptions {
  std::string rig_file;
  std::string scenario;
  std::string record_file;
  std::string junit_file;
  std::string events_file;
  std::string pki_dir;
  std::string output_dir;
  std::string patient;
  std::string population;
};

}  // namespace

Command add_run_command(CLI::App& app) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* run = app.add_subcommand("run", "Run the reception flow on a rig and print a per-step table.\n"
                                            "Exit code 0 only when the run ends as the scenario expects.");
  run->add_option("--rig", options->rig_file, "rig file (default: rigs/emulated.toml)");
  run->add_option("--scenario", options->scenario, "scenario name from the catalogue (default: the rig's)");
  run->add_option("--record", options->record_file, "write the JSON run record (onshi-hil/run-record/2) here");
  run->add_option("--junit", options->junit_file, "write JUnit XML here: one testsuite, one testcase per step");
  run->add_option("--events", options->events_file,
                  "append the run's events here as JSON Lines (docs/records.md), each phase as it ends,\n"
                  "so a killed run leaves every finished phase readable");
  run->add_option("--pki", options->pki_dir,
                  "test-PKI directory (overrides the rig's; made when missing, refused when damaged)");
  run->add_option("--output", options->output_dir, "result folder root: req/ res/ face/ (overrides the rig's)");
  run->add_option("--patient", options->patient,
                  "the patient whose virtual card the scenario runs with (default: the scenario's); any patient\n"
                  "with a card in the PKI, a generated one with --population");
  run->add_option("--population", options->population,
                  "a generated population (`onshi-hil population generate`) whose patients join the shipped ones,\n"
                  "in the embedded mock too; cards from `onshi-hil pki --population FILE --card-certs N|all`");
  return [options]() {
    const std::filesystem::path rig_file = options->rig_file.empty() ? rig::default_rig_file() : std::filesystem::path(options->rig_file);
    const rig::RigConfig config = rig::load_rig(rig_file);
    rig::WireOverrides overrides;
    if (!options->pki_dir.empty()) overrides.pki_dir = options->pki_dir;
    if (!options->output_dir.empty()) overrides.output_dir = options->output_dir;
    if (!options->population.empty()) overrides.population = options->population;
    const auto wired = rig::WiredRig::wire(config, overrides);
    const flow::Scenario& named = wired->scenario(options->scenario.empty() ? config.scenario : options->scenario);
    const flow::Scenario scenario = options->patient.empty() ? named : wired->scenario_for_patient(named, options->patient);
    std::cout << "onshi-hil run: rig " << config.name << " (" << rig_file.string() << "), ONS "
              << wired->ons_endpoint() << " (" << wired->ons_wire() << ")\n";
    report::ConsoleReporter console(std::cout);
    run::EventFanout events;
    events.add(console);
    std::optional<report::JsonReporter> json;
    std::optional<report::JUnitReporter> junit;
    std::optional<report::JsonLinesReporter> jsonl;
    if (!options->events_file.empty()) events.add(jsonl.emplace(options->events_file));
    if (!options->record_file.empty()) events.add(json.emplace(options->record_file));
    if (!options->junit_file.empty()) events.add(junit.emplace(options->junit_file));
    const flow::RunRecord record = wired->run(scenario, &events);
    if (json) {
      // The embedded mock's journal is read after the run; the record carries it.
      json->add_ons_journal(record.name, record.ons_journal);
      json->finish();
      std::cout << "record: " << options->record_file << "\n";
    }
    if (jsonl) {
      jsonl->finish();
      std::cout << "events: " << options->events_file << "\n";
    }
    if (junit) {
      junit->finish();
      std::cout << "junit: " << options->junit_file << "\n";
    }
    // A step that could not run because the rig is broken is exit 3, not a failed expectation.
    for (const flow::StepResult& step : record.steps) {
      if (step.status == flow::StepStatus::error) return exit_environment;
    }
    return record.met_expectation() ? exit_ok : exit_failed;
  };
}

}  // namespace onshi::cli
