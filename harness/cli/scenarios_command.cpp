// onshi-hil scenarios: list the scenario catalogue.
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "onshi/config/cli11.hpp"
#include "commands.hpp"
#include "onshi/config/data_paths.hpp"
#include "onshi/config/toml_reader.hpp"
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
    // The systems-under-test combinations beside them (fixtures/scenarios/sut.toml, docs/card-receptions.md).
    const std::filesystem::path sut_file = config::fixtures_dir() / "scenarios" / "sut.toml";
    if (catalogue->empty() && std::filesystem::exists(sut_file)) {
      const config::TomlReader r(sut_file);
      std::printf("\nsystems under test (%s), each the ctest test e2e.sut.NAME:\n", sut_file.string().c_str());
      for (const toml::table& t : r.array_of_tables(r.root(), "combination")) {
        r.only_keys(t, {"name", "direction", "description", "fault", "consume_deadline_ms", "receptions", "pins", "exit",
                        "expect"});
        std::printf("%-30s %-16s %s\n", r.required_string(t, "name").c_str(), r.required_string(t, "direction").c_str(),
                    r.optional_string(t, "description").c_str());
      }
    }
    return exit_ok;
  };
}

}  // namespace onshi::cli
