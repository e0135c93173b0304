// onshi-hil pki: write the generated test PKI to a directory (for curl, openssl, vendors).
#include <iostream>
#include <memory>
#include <string>

#include "cli11.hpp"
#include "commands.hpp"
#include "onshi/fixtures/population.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/recipe.hpp"
#include "onshi/pki/test_pki.hpp"

namespace onshi::cli {
namespace {

struct PkiOptions {
  std::string out;
  bool reuse = false;
};

}  // namespace

Command add_pki_command(CLI::App& app) {
  auto options = std::make_shared<PkiOptions>();
  CLI::App* pki = app.add_subcommand("pki", "Generate the test PKI (ONS server CA and certificate, terminal CA and\n"
                                            "one client certificate per facility, JPKI-like CA and per-patient\n"
                                            "user-authentication keys) from fixtures/pki/recipe.toml.");
  pki->add_option("--out", options->out, "directory to write")->required();
  pki->add_flag("--reuse", options->reuse, "keep an existing complete, valid PKI in --out instead of replacing it");
  return [options]() {
    const pki::Recipe recipe = pki::load_recipe();
    const fixtures::Population population = fixtures::load_population();
    if (options->reuse) {
      pki::ensure_test_pki(options->out, recipe, population);
    } else {
      pki::write_test_pki(pki::generate_test_pki(recipe, population), options->out);
    }
    const pki::PkiPaths paths(options->out);
    std::cout << "test PKI in " << options->out << "\n"
              << "  ONS server CA      " << paths.ons_ca_cert().string() << "\n"
              << "  ONS server         " << paths.ons_server_chain().string() << "\n"
              << "  terminal CA        " << paths.terminal_ca_cert().string() << "\n";
    for (const auto& facility : population.facilities) {
      std::cout << "  terminal " << facility.code << " " << paths.terminal_cert(facility.code).string() << "\n";
    }
    std::cout << "  JPKI-like CA       " << paths.jpki_ca_cert().string() << "\n"
              << "  patients           " << population.patients.size() << " user-authentication keys under "
              << (paths.root() / "patients").string() << "\n"
              << "Test keys only: never use them outside a test environment.\n";
    return exit_ok;
  };
}

}  // namespace onshi::cli
