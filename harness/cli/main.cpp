// onshi-hil: hardware-in-the-loop end-to-end harness for オンライン資格確認.
#include <iostream>

#include "onshi/config/cli11.hpp"
#include "commands.hpp"
#include "onshi/core/error.hpp"
#include <onshi_version.hpp>  // generated in the build tree: version and source revision (cmake/OnshiVersion.cmake)

int main(int argc, char** argv) {
  CLI::App app{"onshi-hil: end-to-end harness for Japan's online qualification confirmation (オンライン資格確認).\n"
               "Runs the reception flow card -> reader -> terminal -> ONS on a rig whose links are real or emulated."};
  app.set_version_flag("--version",
                       std::string("onshi-hil ") + ONSHI_VERSION_TEXT + " (revision " + ONSHI_REVISION_TEXT + ")");
  app.require_subcommand(1);
  app.fallthrough(false);

  const onshi::cli::Command run = onshi::cli::add_run_command(app);
  const onshi::cli::Command pki = onshi::cli::add_pki_command(app);
  const onshi::cli::Command mock = onshi::cli::add_mock_command(app);
  const onshi::cli::Command scenarios = onshi::cli::add_scenarios_command(app);
  const onshi::cli::Command emulate = onshi::cli::add_emulate_command(app);
  const onshi::cli::Command rig = onshi::cli::add_rig_command(app);
  const onshi::cli::Command population = onshi::cli::add_population_command(app);
  const onshi::cli::Command links = onshi::cli::add_links_command(app);
  const onshi::cli::Command doctor = onshi::cli::add_doctor_command(app);
  const onshi::cli::Command optest = onshi::cli::add_optest_command(app);
  const onshi::cli::Command evidence = onshi::cli::add_evidence_command(app);
  const onshi::cli::Command load = onshi::cli::add_load_command(app);
  const onshi::cli::Command report = onshi::cli::add_report_command(app);
  const onshi::cli::Command terminal = onshi::cli::add_terminal_command(app);
  const onshi::cli::Command receipt = onshi::cli::add_receipt_command(app);
  const onshi::cli::Command check_receipt_computer = onshi::cli::add_check_receipt_computer_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : onshi::cli::exit_usage;
  }
  try {
    if (app.got_subcommand("run")) return run();
    if (app.got_subcommand("pki")) return pki();
    if (app.got_subcommand("mock")) return mock();
    if (app.got_subcommand("scenarios")) return scenarios();
    if (app.got_subcommand("emulate")) return emulate();
    if (app.got_subcommand("rig")) return rig();
    if (app.got_subcommand("population")) return population();
    if (app.got_subcommand("links")) return links();
    if (app.got_subcommand("doctor")) return doctor();
    if (app.got_subcommand("optest")) return optest();
    if (app.got_subcommand("evidence")) return evidence();
    if (app.got_subcommand("load")) return load();
    if (app.got_subcommand("report")) return report();
    if (app.got_subcommand("terminal")) return terminal();
    if (app.got_subcommand("receipt-computer")) return receipt();
    if (app.got_subcommand("check-receipt-computer")) return check_receipt_computer();
  } catch (const onshi::Error& e) {
    std::cerr << "onshi-hil: " << e.what() << std::endl;
    switch (e.code()) {
      case onshi::ErrorCode::config:
      case onshi::ErrorCode::not_found:
      case onshi::ErrorCode::invalid_argument:
      case onshi::ErrorCode::malformed_input: return onshi::cli::exit_usage;
      default: return onshi::cli::exit_environment;
    }
  } catch (const std::exception& e) {
    std::cerr << "onshi-hil: unexpected error: " << e.what() << std::endl;
    return onshi::cli::exit_environment;
  }
  return onshi::cli::exit_usage;
}
