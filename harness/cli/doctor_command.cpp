// onshi-hil doctor: examine a rig's links and say what to fix (docs/doctor.md). Exit 1 when a
// finding failed, 0 otherwise (warnings print but do not fail); 2 for a rig file that does
// not load.
#include <iostream>
#include <memory>
#include <string>

#include "commands.hpp"
#include "onshi/config/cli11.hpp"
#include "onshi/doctor/doctor.hpp"
#include "onshi/rig/rig_config.hpp"

namespace onshi::cli {

Command add_doctor_command(CLI::App& app) {
  struct Options {
    std::string rig_file;
    std::string pki_dir;
    std::string output_dir;
    bool json = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* doctor = app.add_subcommand(
      "doctor", "Examine the rig's links (terminal certificate, ONS endpoint, card PKI, reader and card, result folders)\n"
                "and say what to fix. Exit 1 when a finding failed.");
  doctor->add_option("--rig", options->rig_file, "rig file (default: rigs/emulated.toml)");
  doctor->add_option("--pki", options->pki_dir, "test-PKI directory (overrides the rig's)");
  doctor->add_option("--output", options->output_dir, "result folder root (overrides the rig's)");
  doctor->add_flag("--json", options->json, "print the findings as JSON (schema onshi-hil/doctor/1)");
  return [options]() {
    const std::filesystem::path rig_file =
        options->rig_file.empty() ? rig::default_rig_file() : std::filesystem::path(options->rig_file);
    const rig::RigConfig config = rig::load_rig(rig_file);
    doctor::DoctorOptions doctor_options;
    if (!options->pki_dir.empty()) doctor_options.pki_dir = options->pki_dir;
    if (!options->output_dir.empty()) doctor_options.output_dir = options->output_dir;
    const auto findings = doctor::examine_rig(config, doctor_options);
    if (options->json) {
      std::cout << doctor::findings_json(findings, rig_file.string());
    } else {
      std::cout << "onshi-hil doctor: rig " << config.name << " (" << rig_file.string() << ")\n";
      doctor::print_findings(std::cout, findings);
    }
    return doctor::summarize(findings).healthy() ? exit_ok : exit_failed;
  };
}

}  // namespace onshi::cli
