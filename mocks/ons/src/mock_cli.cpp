#include "onshi/mocks/ons/mock_cli.hpp"

#include "onshi/config/cli11.hpp"
#include "onshi/population/population.hpp"
#include "onshi/ons/interface_profile.hpp"
#include "onshi/pki/test_pki.hpp"

namespace onshi::mocks::ons {

void add_mock_cli_options(CLI::App& app, MockCliOptions& options) {
  app.add_option("--pki", options.pki_dir,
                 options.make_missing_pki ? "test-PKI directory (made with `onshi-hil pki --out DIR` if missing)"
                                          : "test-PKI directory (`onshi-hil pki --out DIR [--population FILE]`)")
      ->required();
  app.add_option("--port", options.port, "TCP port; 0 picks a free one")->capture_default_str();
  app.add_option("--bind", options.bind, "address to listen on (loopback by default)")->capture_default_str();
  app.add_option("--threads", options.threads, "request threads (as many handshake threads run beside them, at --handshake-nice)")->capture_default_str()->check(CLI::Range(1u, 64u));
  app.add_option("--handshake-nice", options.handshake_nice,
                 "nice value of the handshake threads: higher shields inquiries from handshake floods, lower keeps\n"
                 "handshakes from starving on a busy machine (docs/hardening.md)")
      ->capture_default_str()
      ->check(CLI::Range(0, 19));
  app.add_option("--population", options.population,
                 "population directory or generated TOML file (`onshi-hil population generate`);\n"
                 "default: the shipped fixtures/population. Card-path inquiries are answered for the\n"
                 "patients with a card in the PKI (`onshi-hil pki --population FILE`)");
  app.add_option("--faults", options.faults_file, "fault plan JSON to install at start (see mocks/ons fault_plan.hpp)");
  app.add_option("--admin-port", options.admin_port,
                 "admin API port on 127.0.0.1 (faults, journal, stats); 0 picks one, -1 = off")
      ->capture_default_str()
      ->check(CLI::Range(-1, 65535));
  app.add_option("--journal", options.journal_file, "write the journal (every request and answer) as JSON on exit");
  app.add_option("--interface-profile", options.interface_profile,
                 "interface profile TOML (paths, element names), e.g. fixtures/ons/profile-2025.toml");
  app.add_flag("--login-required", options.login_required,
               "require the login step's token (Authorization) on every inquiry");
  app.add_option("--bulk-delay-ms", options.bulk_delay_ms, "bulk results stay 処理中 this long")->capture_default_str();
  app.add_flag("--no-session-resumption", options.no_session_resumption,
               "no TLS session cache or tickets: every handshake is a full one (bench)");
}

OnsMockOptions mock_options_from_cli(const MockCliOptions& options) {
  if (options.make_missing_pki) pki::ensure_test_pki(options.pki_dir);
  OnsMockOptions server = mock_options_from_pki(
      options.pki_dir,
      options.population.empty() ? population::load_population() : population::load_population(options.population));
  if (!options.interface_profile.empty()) {
    server.service.profile = onshi::ons::load_interface_profile(options.interface_profile);
  }
  server.service.login_required = options.login_required;
  server.service.bulk_ready_after = std::chrono::milliseconds(options.bulk_delay_ms);
  server.bind_address = options.bind;
  server.port = options.port;
  server.threads = options.threads;
  server.handshake_nice = options.handshake_nice;
  server.tls.session_resumption = !options.no_session_resumption;
  if (!options.faults_file.empty()) server.faults = load_fault_plan(options.faults_file);
  server.admin_port = options.admin_port;
  return server;
}

std::string describe(const OnsMockOptions& options) {
  const OnsMockServiceConfig& s = options.service;
  return "mock ONS: " + std::to_string(s.population.patients.size()) + " patients, " +
         std::to_string(s.enrolments.size()) + " with an enrolled card; interface profile " + s.profile.name + " " +
         s.profile.version + (s.login_required ? "; login required" : "") + "; bulk results after " +
         std::to_string(s.bulk_ready_after.count()) + " ms";
}

}  // namespace onshi::mocks::ons
