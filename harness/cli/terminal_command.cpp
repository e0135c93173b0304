// onshi-hil terminal: the harness as the qualification terminal for a receipt computer under
// test (docs/terminal.md). Watches <output>/req/ and answers each request file in <output>/res/
// after asking the rig's ONS, until SIGINT/SIGTERM or, with --once, when req/ is empty. With
// --reader it also serves the rig's [reader]: each card placed is a reception (the reception
// flow, harness/src/flow) whose result lands in face/, the PIN and the panel choices read from
// --panel FILE (docs/card-receptions.md).
#include <atomic>
#include <csignal>
#include <iostream>
#include <memory>
#include <string>

#include "onshi/config/cli11.hpp"
#include "commands.hpp"
#include "onshi/core/error.hpp"
#include "onshi/core/host_port.hpp"
#include "onshi/flow/reception_flow.hpp"
#include "onshi/flow/result_folder.hpp"
#include "onshi/links/card_backend.hpp"
#include "onshi/links/reader_backend.hpp"
#include "onshi/ons/ons_client.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/population/population.hpp"
#include "onshi/rig/reception_plan.hpp"
#include "onshi/rig/rig_config.hpp"
#include "onshi/rig/wired_rig.hpp"
#include "onshi/terminal/reader_service.hpp"
#include "onshi/terminal/terminal_service.hpp"
#include "onshi/terminal/touch_panel.hpp"

namespace onshi::cli {
namespace {

struct TerminalCommandOptions {
  std::string rig_file;
  std::string pki_dir;
  std::string output_dir;
  bool once = false;
  unsigned settle_ms = 500;
  std::size_t max_bytes = std::size_t{1} << 20;
  bool reader = false;
  std::string panel_file;
};

std::atomic<bool> stop_requested{false};

// The terminal's own ONS client as the reception flow's qualification plug.
class TerminalQualificationClient final : public flow::QualificationClient {
 public:
  TerminalQualificationClient(ons::OnsClientOptions options, std::string endpoint)
      : client_(std::move(options)), endpoint_(std::move(endpoint)) {}
  ons::QualificationResult inquire(const ons::CardQualificationInquiry& inquiry) override { return client_.inquire(inquiry); }
  std::string endpoint() const override { return endpoint_; }

 private:
  ons::OnsClient client_;
  std::string endpoint_;
};

// The rig's reader, held open while the terminal serves, and one reception per card placed:
// the panel file's scenario (identity path, consents; default the rig's) and PINs (default the
// scenario's entries for its patient's card, as on the emulated rig).
class TerminalReader {
 public:
  TerminalReader(const rig::RigConfig& config, const rig::WiredRig& wired, std::filesystem::path panel_file)
      : config_(config),
        wired_(wired),
        panel_file_(std::move(panel_file)),
        population_(population::load_population()),
        pki_(pki::ensure_test_pki(wired.pki_dir())),
        ons_(wired.ons_client_options(), wired.ons_endpoint()),
        results_(wired.output_root(), wired.output_encoding()) {
    const flow::Scenario& scenario = wired.scenario(config.scenario);
    const std::string where = "rig " + config.file.string() + " ";
    std::shared_ptr<iso7816::Icc> card;
    if (const auto* card_backend = links::Registry<links::CardBackend>::instance().find(config.card.kind)) {
      card = card_backend->open(*config.card.settings,
                                {population_.patient(scenario.patient), pki_, scenario.card, where + config.card.where});
    }
    const auto* reader_backend = links::Registry<links::ReaderBackend>::instance().find(config.reader.kind);
    if (reader_backend == nullptr) throw Error(ErrorCode::config, "no reader backend '" + config.reader.kind + "'", where);
    reader_ = reader_backend->open(*config.reader.settings,
                                   {std::move(card), where + config.reader.where + " kind=" + config.reader.kind});
  }

  reader::CardReader& reader() { return reader_->reader(); }

  terminal::ReceptionOutcome receive() {
    const std::optional<terminal::PanelInput> panel =
        panel_file_.empty() ? std::nullopt : terminal::read_panel_file(panel_file_);
    const std::string scenario_name = panel && !panel->scenario.empty() ? panel->scenario : config_.scenario;
    const flow::Scenario& scenario = wired_.scenario(scenario_name);
    const population::Patient& patient = population_.patient(scenario.patient);
    flow::Reception reception = rig::plan_reception(config_.name, scenario, patient, pki_, config_.facility_code);
    if (panel && panel->pins) reception.pins = *panel->pins;
    flow::ReceptionFlow flow(flow::FlowPlugs{reader(), ons_, results_});
    const flow::RunRecord record = flow.run(reception);
    terminal::ReceptionOutcome outcome;
    outcome.identity_method = record.identity_method;
    if (!record.result_file.empty()) {
      outcome.face_file = "face/" + std::filesystem::path(record.result_file).filename().string();
    }
    for (const flow::StepResult& step : record.steps) {
      if (step.status == flow::StepStatus::failed || step.status == flow::StepStatus::error) {
        outcome.failed_step = step.name;
        outcome.reason = step.reason;
        break;
      }
    }
    std::cout << "reception (scenario " << scenario_name << "): "
              << (outcome.failed_step.empty() ? outcome.face_file : outcome.failed_step + ": " + outcome.reason)
              << std::endl;
    return outcome;
  }

 private:
  const rig::RigConfig& config_;
  const rig::WiredRig& wired_;
  std::filesystem::path panel_file_;
  population::Population population_;
  pki::TestPki pki_;
  TerminalQualificationClient ons_;
  flow::ResultFolder results_;
  std::unique_ptr<links::ReaderLink> reader_;
};

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
  terminal->add_flag("--reader", options->reader,
                     "also serve the rig's [reader]: each card placed is a reception whose result lands in face/");
  terminal->add_option("--panel", options->panel_file,
                       "with --reader: the touch-panel file the patient's PIN and choices are read from at each\n"
                       "card placed (scenario = \"NAME\", pins = [...]; docs/card-receptions.md)");
  return [options]() {
    // Before the rig is wired: a wrong command line fails at once.
    if (!options->reader && !options->panel_file.empty()) {
      throw Error(ErrorCode::invalid_argument, "--panel needs --reader: without a reader nobody types a PIN");
    }
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
    std::unique_ptr<TerminalReader> card_reader;
    std::unique_ptr<terminal::ReaderService> reader_service;
    if (options->reader) {
      card_reader = std::make_unique<TerminalReader>(config, *wired, options->panel_file);
      reader_service = std::make_unique<terminal::ReaderService>(
          card_reader->reader(), [reader = card_reader.get()] { return reader->receive(); }, service.journal());
    }

    std::signal(SIGINT, [](int) { stop_requested = true; });
    std::signal(SIGTERM, [](int) { stop_requested = true; });
    std::cout << "onshi-hil terminal: rig " << config.name << ", ONS " << terminal_options.ons_endpoint << " ("
              << wired->ons_wire() << "), answers in "
              << (terminal_options.answer_encoding == ons::TextEncoding::shift_jis ? "Shift_JIS" : "UTF-8") << "\n"
              << "watching " << (terminal_options.root / "req").string() << "/, journal "
              << service.journal().file().string() << std::endl;
    if (card_reader) {
      std::cout << "serving reader " << card_reader->reader().name() << " ([reader] kind=" << config.reader.kind
                << "), face/ in " << (terminal_options.root / "face").string() << "/"
                << (options->panel_file.empty() ? "" : ", panel " + options->panel_file) << std::endl;
    }
    if (reader_service && !options->once) {
      // Both at once: req/ wakes the wait, the reader is looked at every 50 ms.
      while (!stop_requested.load()) {
        service.serve_ready();
        reader_service->serve_ready();
        service.watcher().wait(std::chrono::milliseconds(50));
      }
      std::cout << "onshi-hil terminal: stopped after " << reader_service->receptions() << " reception(s)" << std::endl;
    } else if (options->once) {
      if (reader_service) reader_service->serve_ready();
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
