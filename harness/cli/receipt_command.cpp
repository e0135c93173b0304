// onshi-hil receipt-computer: the harness as the receipt computer (レセコン) for a terminal
// under test (docs/receipt-computer.md). Writes the session's request files into the terminal's
// req/, waits for each answer in res/, judges it, and reports the run like `run` does.
#include <signal.h>

#include <cerrno>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "commands.hpp"
#include "onshi/config/cli11.hpp"
#include "onshi/core/error.hpp"
#include "onshi/links/output_backend.hpp"
#include "onshi/links/sut_backend.hpp"
#include "onshi/population/population.hpp"
#include "onshi/receipt/receipt_plan.hpp"
#include "onshi/receipt/receipt_session.hpp"
#include "onshi/report/console_reporter.hpp"
#include "onshi/report/json_reporter.hpp"
#include "onshi/report/junit_reporter.hpp"
#include "onshi/rig/rig_config.hpp"
#include "onshi/run/event_sink.hpp"

namespace onshi::cli {
namespace {

struct ReceiptCommandOptions {
  std::string rig_file;
  std::string session_file;
  std::string terminal_dir;
  std::string archive_dir;
  std::string record_file;
  std::string junit_file;
  unsigned deadline_ms = 0;  // 0: the session's
  unsigned settle_ms = 200;
  int terminal_pid = 0;
};

// Whether process `pid` (not our child: an external terminal) still runs; a zombie has ended.
std::optional<std::string> process_gone(int pid) {
  if (::kill(pid, 0) != 0 && errno == ESRCH) return "process " + std::to_string(pid) + " is gone";
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (std::getline(stat, line)) {
    const std::size_t close = line.rfind(')');
    if (close != std::string::npos && close + 2 < line.size() && (line[close + 2] == 'Z' || line[close + 2] == 'X')) {
      return "process " + std::to_string(pid) + " has exited";
    }
  }
  return std::nullopt;
}

}  // namespace

Command add_receipt_command(CLI::App& app) {
  auto options = std::make_shared<ReceiptCommandOptions>();
  CLI::App* rc = app.add_subcommand(
      "receipt-computer",
      "Be the receipt computer for a terminal under test: write the session's request files into the\n"
      "terminal's req/ (write-then-rename), wait for each answer in res/ with a deadline, and check it\n"
      "against the session's expectation (docs/receipt-computer.md). Exit 0 when every answer is as\n"
      "expected, 1 when one is not or none came.");
  rc->add_option("--rig", options->rig_file, "rig file (default: rigs/sut-terminal.toml): its facility and [output] dir");
  rc->add_option("--session", options->session_file, "session file (default: fixtures/receipt/session.toml)");
  rc->add_option("--terminal-dir", options->terminal_dir,
                 "the terminal's folder root holding req/ res/ (overrides the rig's [output] dir)");
  rc->add_option("--archive", options->archive_dir, "where answers go once read (default: <terminal-dir>/receipt-archive)");
  rc->add_option("--deadline-ms", options->deadline_ms, "how long to wait for each answer (default: the session's)")
      ->check(CLI::Range(1U, 3'600'000U));
  rc->add_option("--settle-ms", options->settle_ms,
                 "an answer not renamed into res/ is read once unchanged this long (default 200)")
      ->check(CLI::Range(0U, 600'000U));
  rc->add_option("--terminal-pid", options->terminal_pid,
                 "the terminal's process id, when it runs on this host: a wait ends when it is gone")
      ->check(CLI::Range(1, 1 << 22));
  rc->add_option("--record", options->record_file, "write the run record (JSON) here");
  rc->add_option("--junit", options->junit_file, "write the run as JUnit XML here");
  return [options]() {
    const std::filesystem::path rig_file = options->rig_file.empty() ? rig::default_rig_file().parent_path() / "sut-terminal.toml"
                                                                      : std::filesystem::path(options->rig_file);
    const rig::RigConfig config = rig::load_rig(rig_file);
    // Only the rig's [output] link is opened: the terminal's folders. Card, reader and ONS stay
    // the terminal's business (docs/receipt-computer.md).
    links::OutputOpenContext output_context;
    if (!options->terminal_dir.empty()) output_context.dir_override = std::filesystem::path(options->terminal_dir);
    output_context.where = config.output.where;
    const auto output =
        links::OutputRegistry::instance().find(config.output.kind)->open(*config.output.settings, output_context);
    const population::Population population = population::load_population();
    receipt::ReceiptSession session = receipt::load_session(
        options->session_file.empty() ? receipt::default_session_file() : std::filesystem::path(options->session_file),
        population);
    if (options->deadline_ms > 0) session.answer_deadline = std::chrono::milliseconds(options->deadline_ms);

    receipt::TerminalUnderTest terminal;
    terminal.root = output->results().root();
    terminal.archive = options->archive_dir;
    terminal.facility_code = config.facility_code;
    terminal.settle = std::chrono::milliseconds(options->settle_ms);
    // The rig's [sut]: a launched terminal is started (and waited for) here and stopped after the
    // run; how it ended ends any wait at once. An external one is only its folders.
    std::unique_ptr<links::SutLink> sut;
    if (!config.sut.kind.empty()) {
      sut = links::open_sut_link(config.sut, {terminal.root, config.pki_dir, std::filesystem::absolute(config.file).parent_path(),
                                              "rig " + config.file.string() + " " + config.sut.where});
      std::cout << "terminal under test: " << sut->describe() << std::endl;
      sut->start();
      if (sut->launched()) {
        terminal.ended = [link = sut.get()]() -> std::optional<std::string> {
          if (const auto status = link->exited()) return status->describe();
          return std::nullopt;
        };
      }
    }
    if (options->terminal_pid > 0) {
      terminal.ended = [pid = options->terminal_pid] { return process_gone(pid); };
    }
    std::cout << "onshi-hil receipt-computer: rig " << config.name << ", session " << session.name << " ("
              << session.requests.size() << " requests, answers within " << session.answer_deadline.count()
              << " ms), terminal folders " << terminal.root.string() << std::endl;

    const run::Plan plan = receipt::receipt_plan(session, population, terminal);
    report::ConsoleReporter console(std::cout);
    run::EventFanout events;
    events.add(console);
    std::optional<report::JsonReporter> json;
    std::optional<report::JUnitReporter> junit;
    if (!options->record_file.empty()) events.add(json.emplace(options->record_file));
    if (!options->junit_file.empty()) events.add(junit.emplace(options->junit_file));
    const run::RunResult result = run::Executor().run(plan, &events);
    if (sut && sut->launched()) {
      const std::optional<sut::ExitStatus> ended = sut->stop();
      std::cout << "terminal under test stopped: " << (ended ? ended->describe() : std::string("not started"))
                << (sut->was_killed() ? " (killed after its stop_timeout)" : "") << std::endl;
    }
    if (json) {
      json->finish();
      std::cout << "record: " << options->record_file << "\n";
    }
    if (junit) {
      junit->finish();
      std::cout << "junit: " << options->junit_file << "\n";
    }
    std::size_t passed = 0;
    for (const auto& phase : result.phases) passed += phase.passed() ? 1U : 0U;
    std::cout << "receipt computer: " << (result.met_expectation() ? "PASSED" : "FAILED") << ": " << passed << " of "
              << result.phases.size() << " answers as expected" << std::endl;
    return result.met_expectation() ? exit_ok : exit_failed;
  };
}

}  // namespace onshi::cli
