#include "onshi/receipt_computer_check/receipt_computer_check.hpp"

#include <atomic>
#include <csignal>
#include <thread>

#include "onshi/core/error.hpp"
#include "onshi/core/last_lines.hpp"
#include "onshi/links/sut_backend.hpp"
#include "onshi/ons/ons_client.hpp"
#include "onshi/rig/wired_rig.hpp"
#include "onshi/run/executor.hpp"
#include "onshi/sut/sut_process.hpp"
#include "onshi/terminal/terminal_service.hpp"
#include "harness_terminal.hpp"
#include "sut_journal_reader.hpp"
#include "terminal_answers.hpp"

namespace onshi::receipt_computer_check {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

// Plug names: "sut" always; the others only when the rig's [sut] makes the phase apply, so a
// phase that does not apply is skipped with a reason naming its plug, never passed.
constexpr const char* kSut = "sut";
constexpr const char* kSutRequests = "sut_requests";  // [sut] requests = true
constexpr const char* kSutJournal = "sut_journal";    // [sut] journal = "…"
constexpr const char* kSutProcess = "sut_process";    // kind "launched"

double ms_between(Steady::time_point from, Steady::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}


// Everything the phases share, bound as the plugs.
struct CheckState {
  const rig::RigConfig& config;
  std::unique_ptr<rig::WiredRig> wired;
  std::unique_ptr<links::SutLink> sut;
  std::unique_ptr<ons::OnsClient> ons;
  std::unique_ptr<terminal::TerminalService> terminal;
  std::atomic<bool> stop_terminal{false};
  std::thread terminal_thread;
  std::string scenario;
  fs::path root;
  std::chrono::milliseconds deadline{};
  std::chrono::milliseconds settle{};
  std::streamoff terminal_mark = 0;
  fs::path face_file;
  std::string face_shown;  // "face/NAME"
  std::string answer_shown;  // "res/NAME"
  std::optional<sut::ExitStatus> ended;

  explicit CheckState(const rig::RigConfig& c) : config(c) {}

  // A SUT that ended is the phase's failure, named by how it ended.
  void require_alive() {
    if (auto status = sut->exited()) {
      ended = status;
      const std::string tail = last_lines(sut->stderr_text(), 3);
      throw run::PhaseFailure{"the receipt computer ended mid-run: " + status->describe() +
                              (tail.empty() ? "" : "; its stderr ends: " + tail)};
    }
  }

  // Until done() holds or `limit` passes, checking between that the SUT still runs.
  template <class Done>
  bool wait(std::chrono::milliseconds limit, Done done) {
    const auto until = Steady::now() + limit;
    for (;;) {
      if (done()) return true;
      require_alive();
      if (Steady::now() >= until) return done();
      std::this_thread::sleep_for(10ms);
    }
  }

  void stop_terminal_thread() {
    stop_terminal = true;
    if (terminal_thread.joinable()) terminal_thread.join();
  }
};

// Adds the SUT's output and end to the run before the caller's reporters see it end.
class SutOutputSink final : public run::EventSink {
 public:
  SutOutputSink(run::EventSink* next, CheckState& state) : next_(next), state_(state) {}
  void run_started(const run::RunStarted& e) override {
    if (next_ != nullptr) next_->run_started(e);
  }
  void phase_started(const run::PhaseStarted& e) override {
    if (next_ != nullptr) next_->phase_started(e);
  }
  void measurement_recorded(const run::MeasurementRecorded& e) override {
    if (next_ != nullptr) next_->measurement_recorded(e);
  }
  void phase_ended(const run::PhaseEnded& e) override {
    if (next_ != nullptr) next_->phase_ended(e);
  }
  void run_ended(const run::RunEnded& e) override {
    run::RunEnded with = e;
    add_sut_attributes(with.result);
    if (next_ != nullptr) next_->run_ended(with);
  }
  void add_sut_attributes(run::RunResult& result) const {
    run::set_attribute(result.attributes, "sut", state_.sut->describe());
    if (state_.sut->launched()) {
      run::set_attribute(result.attributes, "sut_exit", state_.ended ? state_.ended->describe() : "not ended");
      run::set_attribute(result.attributes, "sut_stdout", state_.sut->stdout_text());
      run::set_attribute(result.attributes, "sut_stderr", state_.sut->stderr_text());
    }
  }

 private:
  run::EventSink* next_;
  CheckState& state_;
};

run::Phase phase(std::string name, std::vector<std::string> plugs, std::function<void(run::PhaseContext&)> body) {
  run::Phase p;
  p.name = std::move(name);
  p.plugs = std::move(plugs);
  p.body = std::move(body);
  return p;
}

run::Plan check_plan(CheckState& s) {
  run::Plan plan;
  plan.name = "receipt-computer";
  plan.attributes = {{"rig", s.config.name}, {"scenario", s.scenario}, {"direction", "harness-as-terminal"}};
  const double deadline_ms = static_cast<double>(s.deadline.count());
  const links::SutSettings& settings = s.sut->settings();

  plan.phases.push_back(phase("sut_start", {kSut}, [&s](run::PhaseContext& r) {
    r.detail("sut", s.sut->describe());
    r.detail("folders", s.root.string());
    s.terminal_thread = std::thread([&s] { s.terminal->serve_until(s.stop_terminal, 20ms); });
    try {
      s.sut->start();
    } catch (const Error& e) {
      throw run::PhaseFailure{e.what()};
    }
    if (s.sut->launched()) {
      r.detail("process_group", std::to_string(s.sut->process_group()));
      r.measure("ready_ms", std::chrono::duration<double, std::milli>(s.sut->ready_after()).count(), "ms");
    }
  }));

  plan.phases.push_back(phase("reception", {kSut}, [&s](run::PhaseContext& r) {
    s.terminal_mark = size_of(s.terminal->journal().file());
    const flow::RunRecord record = s.wired->run(s.wired->scenario(s.scenario));
    for (const flow::StepResult& step : record.steps) {
      if (step.status != flow::StepStatus::passed) {
        throw run::PhaseFailure{"the reception (scenario " + s.scenario + ") did not deliver a face file: step " +
                                step.name + " " + std::string(flow::to_string(step.status)) + ": " + step.reason};
      }
    }
    if (record.result_file.empty()) throw run::PhaseFailure{"the reception delivered no face file"};
    s.face_file = record.result_file;
    s.face_shown = "face/" + s.face_file.filename().string();
    r.detail("face_file", s.face_shown);
    r.detail("encoding", s.wired->output_encoding() == ons::TextEncoding::shift_jis ? "shift_jis" : "utf-8");
    s.require_alive();
  }));

  plan.phases.push_back(phase("face_taken_up", {kSut}, [&s, deadline_ms](run::PhaseContext& r) {
    const auto from = Steady::now();
    // Taken up: moved or deleted, or answered with the SUT's own request (the terminal saw one).
    const bool taken = s.wait(s.deadline, [&s] {
      std::error_code ec;
      return !fs::exists(s.face_file, ec) || !terminal_answers_after(s.terminal->journal().file(), s.terminal_mark).empty();
    });
    r.measure("face_taken_up_ms", ms_between(from, Steady::now()), "ms", run::Limits::at_most(deadline_ms));
    if (!taken) {
      throw run::PhaseFailure{s.face_shown + " was left lying: not taken up within consume_deadline_ms " +
                              std::to_string(s.deadline.count())};
    }
  }));

  plan.phases.push_back(phase("sut_request_answered", {kSut, kSutRequests}, [&s](run::PhaseContext& r) {
    const fs::path journal = s.terminal->journal().file();
    std::vector<TerminalAnswer> answers;
    const bool answered = s.wait(s.deadline + s.settle + 10s, [&] {
      answers = terminal_answers_after(journal, s.terminal_mark);
      return !answers.empty();
    });
    if (!answered) {
      throw run::PhaseFailure{"the receipt computer wrote no request into req/ that the terminal could answer within " +
                              std::to_string((s.deadline + s.settle + 10s).count()) + " ms after " + s.face_shown};
    }
    const TerminalAnswer& a = answers.front();
    r.detail("request", a.request);
    r.detail("answer", a.answer);
    if (a.duration_ms >= 0) r.measure("terminal_answer_ms", a.duration_ms, "ms");
    if (a.event == "error") {
      throw run::PhaseFailure{"the terminal refused the receipt computer's request " + a.request + ": " + a.error_code +
                              " " + a.reason};
    }
    s.answer_shown = a.answer;
  }));

  plan.phases.push_back(phase("answer_taken_up", {kSut, kSutRequests}, [&s, deadline_ms](run::PhaseContext& r) {
    const fs::path answer = s.root / s.answer_shown;
    const auto from = Steady::now();
    const bool taken = s.wait(s.deadline, [&] {
      std::error_code ec;
      return !fs::exists(answer, ec);
    });
    r.measure("answer_taken_up_ms", ms_between(from, Steady::now()), "ms", run::Limits::at_most(deadline_ms));
    if (!taken) {
      throw run::PhaseFailure{s.answer_shown + " was left lying: not taken up within consume_deadline_ms " +
                              std::to_string(s.deadline.count())};
    }
  }));

  plan.phases.push_back(phase("sut_journal", {kSut, kSutJournal}, [&s, &settings](run::PhaseContext& r) {
    const fs::path journal = settings.journal;
    r.detail("journal", journal.string());
    std::vector<std::string> expected = {s.face_shown};
    if (!s.answer_shown.empty()) expected.push_back(s.answer_shown);
    std::map<std::string, SutVerdict> verdicts;
    const bool complete = s.wait(s.deadline, [&] {
      verdicts = read_sut_journal(journal);
      for (const std::string& file : expected) {
        if (verdicts.count(file) == 0) return false;
      }
      return true;
    });
    double accepted = 0;
    for (const std::string& file : expected) {
      const auto it = verdicts.find(file);
      if (it == verdicts.end()) {
        throw run::PhaseFailure{"the receipt computer's journal " + journal.string() + " has no verdict on " + file +
                                (complete ? "" : " within " + std::to_string(s.deadline.count()) + " ms")};
      }
      if (!it->second.accepted) throw run::PhaseFailure{"the receipt computer rejected " + file + ": " + it->second.reason};
      accepted += 1;
    }
    r.measure("files_accepted", accepted, "", run::Limits::at_least(static_cast<double>(expected.size())));
  }));

  plan.phases.push_back(phase("sut_stop", {kSut, kSutProcess}, [&s](run::PhaseContext& r) {
    s.require_alive();
    const auto from = Steady::now();
    const std::optional<sut::ExitStatus> status = s.sut->stop();
    s.ended = status;
    r.measure("stop_ms", ms_between(from, Steady::now()), "ms");
    const std::string how = status ? status->describe() : "not started";
    r.detail("exit", how);
    if (s.sut->was_killed()) {
      throw run::PhaseFailure{"the receipt computer did not stop on SIGTERM within stop_timeout: killed (" + how + ")"};
    }
    if (sut::process_group_alive(s.sut->process_group())) {
      throw run::PhaseFailure{"processes of the receipt computer's group " + std::to_string(s.sut->process_group()) +
                              " are still alive after it stopped"};
    }
    if (status && !status->clean() && status->signal != SIGTERM) {
      throw run::PhaseFailure{"the receipt computer ended with " + how + " after SIGTERM"};
    }
  }));

  plan.plugs.bind<CheckState>(kSut, s);
  if (settings.requests) plan.plugs.bind<CheckState>(kSutRequests, s);
  if (!settings.journal.empty()) plan.plugs.bind<CheckState>(kSutJournal, s);
  if (s.sut->launched()) plan.plugs.bind<CheckState>(kSutProcess, s);
  plan.teardown = [&s] {
    s.stop_terminal_thread();
    if (const auto status = s.sut->stop(); status && !s.ended) s.ended = status;
  };
  return plan;
}

}  // namespace

run::RunResult check_receipt_computer(const rig::RigConfig& config, const CheckOptions& options, run::EventSink* events) {
  if (config.sut.kind.empty()) {
    throw Error(ErrorCode::config, "the rig names no system under test: add a [sut] table (docs/sut.md)", config.file.string());
  }
  CheckState s(config);
  rig::WireOverrides overrides;
  overrides.pki_dir = options.pki_dir;
  overrides.output_dir = options.output_dir;
  s.wired = rig::WiredRig::wire(config, overrides);
  s.scenario = options.scenario.empty() ? config.scenario : options.scenario;
  (void)s.wired->scenario(s.scenario);  // an unknown scenario fails here, by name
  s.root = s.wired->output_root();
  s.settle = options.settle;

  s.sut = links::open_sut_link(config.sut, sut_open_context(config, *s.wired));
  s.deadline = s.sut->settings().consume_deadline;

  const ons::OnsClientOptions client_options = s.wired->ons_client_options();
  s.ons = std::make_unique<ons::OnsClient>(client_options);
  s.terminal = harness_terminal(config, *s.wired, *s.ons, client_options, options.settle);

  SutOutputSink sink(events, s);
  run::RunResult result;
  try {
    result = run::Executor().run(check_plan(s), &sink);
  } catch (...) {
    s.stop_terminal_thread();
    s.sut->stop();
    throw;
  }
  sink.add_sut_attributes(result);
  return result;
}

}  // namespace onshi::receipt_computer_check
