// onshi-hil terminal: the harness as the qualification terminal for a receipt computer under
// test (docs/terminal.md). Watches <output>/req/ and answers each request file in <output>/res/
// after asking the rig's ONS, until SIGINT/SIGTERM or, with --once, when req/ is empty.
#include <atomic>
#include <csignal>
#include <iostream>
#include <memory>
#include <string>

#include "onshi/config/cli11.hpp"
#include "commands.hpp"
#include "onshi/core/host_port.hpp"
#include "onshi/ons/ons_client.hpp"
#include "onshi/rig/rig_config.hpp"
#include "onshi/rig/wired_rig.hpp"
#include "onshi/terminal/terminal_service.hpp"

namespace onshi::cli {
namespace {

struct TerminalCommandOptions {
  std::string rig_file;
  std::string pki_dir;
  std::string output_dir;
  bool once = false;
  unsigned settle_ms = 500;
  std::size_t max_bytes = std::size_t{1} << 20;
};

std::atomic<bool> stop_requested{false};

}  // namespace

Command add_terminal_command(CLI::App& app) {
  auto options = std::make_shared<TerminalCommandOptions>();
  CLI::App* terminal = app.add_subcommand(
      "terminal", "Be the qualification terminal for a receipt computer under test: answer the request files it\n"
                  "drops in <output>/req/ (OQSsiquc01req_*.xml and the others docs/terminal.md lists) in <output>/res/,\n"
                  "asking the rig's ONS. Runs until SIGINT/SIGTERM, or with --once until req/ is served.");
  terminal->add_option("--rig", options->rig_file, "rig file (default: rigs/emulated.toml)");
  terminal->add_option("--pki", options->pki_dir, "test-PKI directory (overrides the rig's; made when missing)");
  terminal->add_option("--output", options->output_dir, "folder root holding req/ res/ (overrides the rig's [output] dir)");
  terminal->add_flag("--once", options->once, "answer what is in req/ (letting files written in place settle), then exit");
  terminal->add_option("--settle-ms", options->settle_ms,
                       "a file not renamed into req/ is read once its size and mtime are unchanged this long (default 500)")
      ->check(CLI::Range(0U, 600'000U));
  terminal->add_option("--max-bytes", options->max_bytes, "larger request files get an error answer (default 1 MiB)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{64} << 20));
  return [options]() {
    const std::filesystem::path rig_file =
        options->rig_file.empty() ? rig::default_rig_file() : std::filesystem::path(options->rig_file);
    const rig::RigConfig config = rig::load_rig(rig_file);
    rig::WireOverrides overrides;
    if (!options->pki_dir.empty()) overrides.pki_dir = options->pki_dir;
    if (!options->output_dir.empty()) overrides.output_dir = options->output_dir;
    const auto wired = rig::WiredRig::wire(config, overrides);

    const ons::OnsClientOptions client_options = wired->ons_client_options();
    ons::OnsClient ons(client_options);
    terminal::TerminalOptions terminal_options;
    terminal_options.root = wired->output_root();
    terminal_options.facility_code = config.facility_code;
    terminal_options.answer_encoding = wired->output_encoding();
    terminal_options.settle = std::chrono::milliseconds(options->settle_ms);
    terminal_options.max_request_bytes = options->max_bytes;
    terminal_options.ons_endpoint =
        "https://" + HostPort{client_options.endpoint.host, client_options.endpoint.port}.to_string();
    terminal::TerminalService service(terminal_options, ons);

    std::signal(SIGINT, [](int) { stop_requested = true; });
    std::signal(SIGTERM, [](int) { stop_requested = true; });
    std::cout << "onshi-hil terminal: rig " << config.name << ", ONS " << terminal_options.ons_endpoint << " ("
              << wired->ons_wire() << "), answers in "
              << (terminal_options.answer_encoding == ons::TextEncoding::shift_jis ? "Shift_JIS" : "UTF-8") << "\n"
              << "watching " << (terminal_options.root / "req").string() << "/, journal "
              << service.journal().file().string() << std::endl;
    if (options->once) {
      const std::size_t handled = service.serve_once();
      std::cout << "answered " << handled << " request file(s)" << std::endl;
    } else {
      service.serve_until(stop_requested);
      std::cout << "onshi-hil terminal: stopped" << std::endl;
    }
    return exit_ok;
  };
}

}  // namespace onshi::cli
