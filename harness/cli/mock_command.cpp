// onshi-hil mock ons: the mock ONS in the foreground, for vendor terminals, curl and rigs.
// Its options are the standalone onshi-ons-mock's, defined once in mock_cli.hpp.
#include <iostream>
#include <memory>

#include "onshi/config/cli11.hpp"
#include "commands.hpp"
#include "onshi/mocks/ons/mock_cli.hpp"
#include "onshi/mocks/ons/serve.hpp"

namespace onshi::cli {

Command add_mock_command(CLI::App& app) {
  auto options = std::make_shared<mocks::ons::MockCliOptions>();
  options->make_missing_pki = true;
  CLI::App* mock = app.add_subcommand("mock", "Run an emulated link of the chain in the foreground.");
  mock->require_subcommand(1);
  CLI::App* ons = mock->add_subcommand("ons", "Mock ONS: HTTPS on loopback that requires a terminal client\n"
                                              "certificate from the test PKI and answers qualification inquiries\n"
                                              "from the synthetic population. Stops on SIGINT/SIGTERM.");
  mocks::ons::add_mock_cli_options(*ons, *options);
  return [options]() {
    mocks::ons::OnsMockOptions server = mocks::ons::mock_options_from_cli(*options);
    std::cerr << mocks::ons::describe(server) << std::endl;
    return mocks::ons::serve_until_signalled(std::move(server), std::cout, std::cerr, options->journal_file);
  };
}

}  // namespace onshi::cli
