// onshi-hil population generate: a seeded synthetic population as TOML, for the mock ONS
// (`onshi-hil mock ons --population FILE`) and load tests.
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "onshi/config/cli11.hpp"
#include "commands.hpp"
#include "onshi/core/error.hpp"
#include "onshi/population/population_generator.hpp"

namespace onshi::cli {

Command add_population_command(CLI::App& app) {
  auto options = std::make_shared<population::PopulationGeneratorOptions>();
  auto out_file = std::make_shared<std::string>();
  CLI::App* population = app.add_subcommand("population", "Synthetic patient populations.");
  population->require_subcommand(1);
  CLI::App* generate = population->add_subcommand(
      "generate", "Write a seeded synthetic population (valid check digits, every qualification state) as TOML.");
  generate->add_option("--seed", options->seed, "random seed; the same seed and count give the same file")
      ->capture_default_str();
  generate->add_option("--count", options->count, "number of patients (at least 10)")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{10}, std::size_t{999'999}));
  generate->add_option("--id-prefix", options->id_prefix, "patient id prefix")->capture_default_str();
  generate->add_option("--reference-date", options->reference_date, "\"today\" (YYYYMMDD) for ages and validity periods")
      ->capture_default_str();
  generate->add_option("--out", *out_file, "output TOML file; - for stdout")->required();
  return [options, out_file]() {
    const population::GeneratedPopulation generated = population::generate_population(*options);
    const std::string toml = population::population_to_toml(generated);
    if (*out_file == "-") {
      std::cout << toml;
      return exit_ok;
    }
    std::ofstream file(*out_file, std::ios::binary | std::ios::trunc);
    file << toml;
    file.close();
    if (!file) throw Error(ErrorCode::io, "cannot write the population", *out_file);
    std::cerr << "wrote " << generated.population.patients.size() << " patients to " << *out_file << std::endl;
    return exit_ok;
  };
}

}  // namespace onshi::cli
