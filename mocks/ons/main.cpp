// onshi-ons-mock: the mock ONS as a standalone HTTPS server, for vendor terminals and curl.
//   onshi-ons-mock --pki DIR [--port N] [--bind ADDR] [--threads N] [--population DIR]
//                  [--faults plan.json] [--admin-port N] [--journal out.json]
// Prints "listening on https://ADDR:PORT" once ready, one log line per request on stderr,
// and serves until SIGINT or SIGTERM.
// -Wnull-dereference fires in libstdc++ code inlined into CLI11's parser; not ours.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <iostream>

#include <CLI/CLI.hpp>

#include "onshi/core/error.hpp"
#include "onshi/fixtures/population.hpp"
#include "onshi/mocks/ons/serve.hpp"
#pragma GCC diagnostic pop

int main(int argc, char** argv) {
  CLI::App app{"Mock ONS (オンライン資格確認) HTTPS server for onshi-hil"};
  std::string pki_dir;
  std::string population_dir = (onshi::fixtures::fixtures_dir() / "population").string();
  std::string bind = "127.0.0.1";
  std::uint16_t port = 0;
  unsigned threads = 2;
  std::string faults_file;
  int admin_port = -1;
  std::string journal_file;
  app.add_option("--pki", pki_dir, "test-PKI directory (onshi-hil pki --out DIR)")->required();
  app.add_option("--port", port, "TCP port; 0 picks a free one")->capture_default_str();
  app.add_option("--bind", bind, "address to listen on")->capture_default_str();
  app.add_option("--threads", threads, "server threads")->capture_default_str()->check(CLI::Range(1u, 64u));
  app.add_option("--population", population_dir, "synthetic population directory")->capture_default_str();
  app.add_option("--faults", faults_file, "fault plan JSON to install at start");
  app.add_option("--admin-port", admin_port, "admin API port on 127.0.0.1; 0 picks one, -1 = off")
      ->capture_default_str()
      ->check(CLI::Range(-1, 65535));
  app.add_option("--journal", journal_file, "write the journal as JSON on exit");
  bool no_resumption = false;
  app.add_flag("--no-session-resumption", no_resumption,
               "no TLS session cache or tickets: every handshake is a full one (bench)");
  CLI11_PARSE(app, argc, argv);

  try {
    namespace m = onshi::mocks::ons;
    m::OnsMockOptions options = m::mock_options_from_pki(pki_dir, onshi::fixtures::load_population(population_dir));
    options.bind_address = bind;
    options.port = port;
    options.threads = threads;
    options.tls.session_resumption = !no_resumption;
    if (!faults_file.empty()) options.faults = m::load_fault_plan(faults_file);
    options.admin_port = admin_port;
    return m::serve_until_signalled(std::move(options), std::cout, std::cerr, journal_file);
  } catch (const onshi::Error& e) {
    std::cerr << "onshi-ons-mock: " << e.what() << std::endl;
    return 1;
  }
}
