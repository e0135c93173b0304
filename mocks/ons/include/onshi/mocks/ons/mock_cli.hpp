#pragma once
// The mock ONS's command line, defined once for both front ends, the standalone
// onshi-ons-mock and `onshi-hil mock ons`: the options, their defaults and help, and their
// translation into OnsMockOptions. A flag added here exists in both.
#include <cstdint>
#include <ostream>
#include <string>

#include "onshi/mocks/ons/ons_mock_server.hpp"

namespace CLI {
class App;
}

namespace onshi::mocks::ons {

struct MockCliOptions {
  std::string pki_dir;
  std::string bind = "127.0.0.1";
  std::uint16_t port = 0;
  unsigned threads = 2;
  std::string population;         // directory or generated TOML file; "" = the shipped fixtures
  std::string faults_file;        // fault plan JSON (fault_plan.hpp)
  int admin_port = -1;            // -1 off, 0 ephemeral; always 127.0.0.1
  std::string journal_file;       // journal JSON written on exit
  std::string interface_profile;  // fixtures/ons/profile-*.toml; "" = built-in 2024.1
  bool login_required = false;
  unsigned bulk_delay_ms = 2000;
  bool no_session_resumption = false;
  int handshake_nice = 10;  // OnsMockOptions::handshake_nice
  // Set by the front end before add_mock_cli_options: `onshi-hil mock ons` writes the test
  // PKI when --pki is missing or unusable (ensure_test_pki); the standalone server serves the
  // directory it is given as it is.
  bool make_missing_pki = false;
};

// Registers every option on `app`, bound to `options` (which must outlive the parse).
void add_mock_cli_options(CLI::App& app, MockCliOptions& options);

// The server options the parsed command line asks for: loads the PKI (making it first when
// make_missing_pki), the population, the interface profile and the fault plan. Throws
// onshi::Error naming the offending file.
OnsMockOptions mock_options_from_cli(const MockCliOptions& options);

// One line saying what the server will serve (population, enrolled cards, profile, login,
// bulk delay), for the front ends to print before starting.
std::string describe(const OnsMockOptions& options);

}  // namespace onshi::mocks::ons
