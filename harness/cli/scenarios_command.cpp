// onshi-hil scenarios: list the scenario catalogue.
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "onshi/config/cli11.hpp"
#include "commands.hpp"
#include "onshi/flow/scenario.hpp"

namespace onshi::cli {

Command add_scenarios_command(CLI::App& app) {
  auto catalogue = std::make_shared<std::string>();
  CLI::App* scenarios = app.add_subcommand("scenarios", "List the reception scenarios of the catalogue.");
  scenarios->add_option("--catalogue", *catalogue, "catalogue file (default: fixtures/scenarios/catalogue.toml)");
  return [catalogue]() {
    const auto list = flow::load_scenarios(catalogue->empty() ? flow::default_scenario_catalogue() : std::filesystem::path(*catalogue));
    for (const auto& s : list) {
      const std::string expect = s.expect_failed_step.empty() ? "all steps pass" : "fails at " + s.expect_failed_step;
      std::printf("%-26s %-5s %-16s %s\n", s.name.c_str(), s.patient.c_str(), expect.c_str(), s.description.c_str());
    }
    return exit_ok;
  };
}

}  // namespace onshi::cli
