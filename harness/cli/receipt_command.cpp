// onshi-hil receipt-computer: the harness as the receipt computer (レセコン) for a terminal
// under test (docs/receipt-computer.md). Writes the session's request files into the terminal's
// req/, waits for each answer in res/, judges it, and reports the run like `run` does. With
// --receptions it also plays the patient: places each patient's virtual card in an emulated
// reader it exports over USB/IP to the terminal, and matches the face/ file that comes back.
#include <signal.h>

#include <cerrno>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "commands.hpp"
#include "onshi/config/cli11.hpp"
#include "onshi/core/error.hpp"
#include "onshi/core/host_port.hpp"
#include "onshi/flow/scenario.hpp"
#include "onshi/mocks/card/patient_card.hpp"
#include "onshi/mocks/reader/emulated_ccid_reader.hpp"
#include "onshi/mocks/reader/usbip_server.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/receipt/reception_step.hpp"
#include "onshi/rig/wired_rig.hpp"
#include "onshi/usb/usbip_protocol.hpp"
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
  std::string receptions_file;
  std::string export_reader = "127.0.0.1:3240";
  std::string panel_file;
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
  rc->add_option("--receptions", options->receptions_file,
                 "also drive these card receptions (fixtures/receipt/receptions.toml): each patient's card placed in\n"
                 "an emulated reader exported over USB/IP, the terminal's face/ file matched to the reception");
  rc->add_option("--export-reader", options->export_reader,
                 "with --receptions: HOST:PORT the emulated reader is exported on (busid 1-1; the terminal's [reader])")
      ->capture_default_str();
  rc->add_option("--panel", options->panel_file,
                 "with --receptions: the terminal's touch-panel file, where the patient's PIN and choices go\n"
                 "(default <terminal-dir>/panel.toml; the terminal's --panel)");
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
    std::optional<receipt::ReceptionSession> receptions;
    if (!options->receptions_file.empty()) {
      receptions = receipt::load_reception_session(options->receptions_file, population,
                                                   flow::load_scenarios(flow::default_scenario_catalogue(), population));
      if (options->deadline_ms > 0) receptions->face_deadline = std::chrono::milliseconds(options->deadline_ms);
    }

    receipt::TerminalUnderTest terminal;
    terminal.root = output->results().root();
    terminal.archive = options->archive_dir;
    terminal.facility_code = config.facility_code;
    terminal.settle = std::chrono::milliseconds(options->settle_ms);
    // The rig's [sut]: a launched terminal is started (and waited for) here and stopped after the
    // run; how it ended ends any wait at once. An external one is only its folders.
    // The patient's side, exported before the terminal starts so it finds the reader at once.
    std::shared_ptr<mocks::reader::EmulatedCcidReader> device;
    std::unique_ptr<mocks::reader::UsbipServer> export_server;
    std::optional<pki::TestPki> test_pki;
    receipt::ReaderAtTerminal reader_at_terminal;
    if (receptions) {
      mocks::reader::UsbipServerOptions server_options;
      server_options.listen = parse_host_port(options->export_reader, usb::usbip::default_port);
      test_pki = pki::ensure_test_pki(config.pki_dir.empty() ? rig::default_pki_dir() : config.pki_dir);
      device = std::make_shared<mocks::reader::EmulatedCcidReader>();
      export_server = std::make_unique<mocks::reader::UsbipServer>(device, server_options);
      export_server->start();
      reader_at_terminal.place = [&device, &test_pki](const population::Patient& patient) {
        auto card = std::make_shared<receipt::ObservedCard>(mocks::card::make_patient_card(patient, *test_pki, {}));
        device->insert_card(card);
        return card;
      };
      // The terminal looks at its reader between receptions, so the next patient's card waits until
      // it has seen this one go: three more URBs (the slot-change notification and a
      // GetSlotStatus), bounded by 10 s for a terminal that stopped looking.
      reader_at_terminal.take = [&device, &export_server] {
        const std::uint64_t mark = export_server->urbs_handled();
        device->remove_card();
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (export_server->urbs_handled() < mark + 3 && std::chrono::steady_clock::now() < until) {
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
      };
      reader_at_terminal.panel_file =
          options->panel_file.empty() ? terminal.root / "panel.toml" : std::filesystem::path(options->panel_file);
      std::cout << "reader exported: usbip " << server_options.listen.host << ":" << export_server->port()
                << " busid " << server_options.busid << ", panel " << reader_at_terminal.panel_file.string() << std::endl;
    }
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

    run::Plan plan = receipt::receipt_plan(session, population, terminal);
    if (receptions) receipt::add_reception_phases(plan, *receptions, population, terminal, reader_at_terminal);
    report::ConsoleReporter console(std::cout);
    run::EventFanout events;
    events.add(console);
    std::optional<report::JsonReporter> json;
    std::optional<report::JUnitReporter> junit;
    if (!options->record_file.empty()) events.add(json.emplace(options->record_file));
    if (!options->junit_file.empty()) events.add(junit.emplace(options->junit_file));
    const run::RunResult result = run::Executor().run(plan, &events);
    if (export_server) export_server->stop();
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
