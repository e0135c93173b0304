// onshi-ons-mock: the mock ONS as a standalone HTTPS server, for vendor terminals and curl.
//   onshi-ons-mock --pki DIR [--port N] [--bind ADDR] [--threads N] [--population DIR|FILE]
//                  [--faults plan.json] [--admin-port N] [--journal out.json]
//                  [--interface-profile FILE] [--login-required] [--bulk-delay-ms N]
//                  [--no-session-resumption]
// The options are `onshi-hil mock ons`'s (mock_cli.hpp), except that --pki is served as it
// is, never made. Prints "listening on https://ADDR:PORT" once ready, one log line per
// request on stderr, and serves until SIGINT or SIGTERM. Exit 2: bad command line or input
// file (the message names it); 3: could not serve (I/O, TLS).
#include <iostream>

#include "onshi/core/error.hpp"
#include "onshi/mocks/ons/mock_cli.hpp"
#include "onshi/mocks/ons/serve.hpp"
// -Wnull-dereference fires in libstdc++ code inlined into CLI11's parser; not ours.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <CLI/CLI.hpp>
#pragma GCC diagnostic pop

int main(int argc, char** argv) {
  namespace m = onshi::mocks::ons;
  CLI::App app{"Mock ONS (オンライン資格確認) HTTPS server for onshi-hil"};
  m::MockCliOptions options;
  m::add_mock_cli_options(app, options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  try {
    m::OnsMockOptions server = m::mock_options_from_cli(options);
    std::cerr << m::describe(server) << std::endl;
    return m::serve_until_signalled(std::move(server), std::cout, std::cerr, options.journal_file);
  } catch (const onshi::Error& e) {
    std::cerr << "onshi-ons-mock: " << e.what() << std::endl;
    switch (e.code()) {
      case onshi::ErrorCode::config:
      case onshi::ErrorCode::not_found:
      case onshi::ErrorCode::invalid_argument:
      case onshi::ErrorCode::malformed_input: return 2;
      default: return 3;
    }
  }
}
