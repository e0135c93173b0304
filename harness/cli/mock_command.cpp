// onshi-hil mock ons: the mock ONS in the foreground, for vendor terminals, curl and rigs.
#include <iostream>
#include <memory>
#include <string>

#include "cli11.hpp"
#include "commands.hpp"
#include "onshi/fixtures/population.hpp"
#include "onshi/mocks/ons/serve.hpp"
#include "onshi/ons/interface_profile.hpp"
#include "onshi/pki/test_pki.hpp"

namespace onshi::cli {
namespace {

struct MockOnsOptions {
  std::string pki_dir;
  std::string bind = "127.0.0.1";
  std::uint16_t port = 0;
  unsigned threads = 2;
  std::string faults_file;   // fault plan JSON (mocks/ons fault_plan.hpp)
  int admin_port = -1;       // -1 off, 0 ephemeral; always 127.0.0.1
  std::string journal_file;  // journal JSON written on exit
  std::string population;    // directory or generated TOML file; empty = shipped fixtures
  std::string interface_profile;  // fixtures/ons/profile-*.toml; empty = built-in 2024.1
  bool login_required = false;
  unsigned bulk_delay_ms = 2000;
};

}  // namespace

Command add_mock_command(CLI::App& app) {
  auto options = std::make_shared<MockOnsOptions>();
  CLI::App* mock = app.add_subcommand("mock", "Run an emulated link of the chain in the foreground.");
  mock->require_subcommand(1);
  CLI::App* ons = mock->add_subcommand("ons", "Mock ONS: HTTPS on loopback that requires a terminal client\n"
                                              "certificate from the test PKI and answers qualification inquiries\n"
                                              "from the synthetic population. Stops on SIGINT/SIGTERM.");
  ons->add_option("--pki", options->pki_dir, "test-PKI directory (made with `onshi-hil pki --out DIR` if missing)")
      ->required();
  ons->add_option("--port", options->port, "TCP port; 0 picks a free one")->capture_default_str();
  ons->add_option("--bind", options->bind, "address to listen on (loopback by default)")->capture_default_str();
  ons->add_option("--threads", options->threads, "server threads")->capture_default_str()->check(CLI::Range(1u, 64u));
  ons->add_option("--faults", options->faults_file, "fault plan JSON to install at start (see mocks/ons fault_plan.hpp)");
  ons->add_option("--admin-port", options->admin_port,
                  "admin API port on 127.0.0.1 (faults, journal, stats); 0 picks one, -1 = off")
      ->capture_default_str()
      ->check(CLI::Range(-1, 65535));
  ons->add_option("--journal", options->journal_file, "write the journal (every request and answer) as JSON on exit");
  ons->add_option("--population", options->population,
                  "population directory or generated TOML file (`onshi-hil population generate`)");
  ons->add_option("--interface-profile", options->interface_profile,
                  "interface profile TOML (paths, element names), e.g. fixtures/ons/profile-2025.toml");
  ons->add_flag("--login-required", options->login_required,
                "require the login step's token (Authorization) on every inquiry");
  ons->add_option("--bulk-delay-ms", options->bulk_delay_ms, "bulk results stay 処理中 this long")->capture_default_str();
  return [options]() {
    pki::ensure_test_pki(options->pki_dir);
    mocks::ons::OnsMockOptions server = mocks::ons::mock_options_from_pki(
        options->pki_dir, options->population.empty() ? fixtures::load_population()
                                                      : fixtures::load_population(options->population));
    if (!options->interface_profile.empty()) {
      server.service.profile = onshi::ons::load_interface_profile(options->interface_profile);
    }
    server.service.login_required = options->login_required;
    server.service.bulk_ready_after = std::chrono::milliseconds(options->bulk_delay_ms);
    server.bind_address = options->bind;
    server.port = options->port;
    server.threads = options->threads;
    if (!options->faults_file.empty()) server.faults = mocks::ons::load_fault_plan(options->faults_file);
    server.admin_port = options->admin_port;
    return mocks::ons::serve_until_signalled(std::move(server), std::cout, std::cerr, options->journal_file);
  };
}

}  // namespace onshi::cli
