#include "onshi/receipt/receipt_plan.hpp"

#include <memory>
#include <system_error>

#include "onshi/core/atomic_file.hpp"
#include "onshi/core/error.hpp"
#include "onshi/receipt/answer_check.hpp"
#include "onshi/receipt/request_file.hpp"
#include "onshi/terminal/request_name.hpp"

namespace onshi::receipt {
namespace {

constexpr const char* kPlug = "terminal";

std::string read_whole(const std::filesystem::path& file) {
  std::FILE* f = std::fopen(file.c_str(), "rb");
  if (f == nullptr) throw Error(ErrorCode::io, "cannot read the answer", file.string());
  std::string out;
  char buffer[65536];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, f)) > 0;) out.append(buffer, n);
  std::fclose(f);
  return out;
}

std::string milliseconds_text(std::chrono::milliseconds ms) { return std::to_string(ms.count()) + " ms"; }

// What the phases share across one run: the next sequence number to try.
struct RunState {
  unsigned next_sequence = 1;
};

void ask(run::PhaseContext& context, const SessionRequest& request, const population::Patient& patient,
         std::chrono::milliseconds deadline, RunState& state) {
  TerminalUnderTest& terminal = context.plug<TerminalUnderTest>(kPlug);
  if (terminal.ended) {
    if (auto ended = terminal.ended()) {
      throw run::PhaseFailure{"the terminal under test has ended (" + *ended + "): nobody answers req/"};
    }
  }
  const WallTime now = context.clock().wall_now();
  const std::string name = free_request_name(terminal.root, now, state.next_sequence);
  state.next_sequence = static_cast<unsigned>(std::stoul(name.substr(name.size() - 8, 4))) + 1;
  const std::string answer_name = terminal::response_name(name);
  context.detail("request", "req/" + name);
  context.detail("answer", "res/" + answer_name);

  const std::filesystem::path res_dir = terminal.root / "res";
  if (!std::filesystem::is_directory(res_dir)) {
    throw run::PhaseFailure{"the terminal's res/ folder does not exist: " + res_dir.string()};
  }
  const std::string bytes = request_bytes(request, patient, terminal.facility_code, now);
  try {
    drop_request(terminal.root / "req", name, bytes);
  } catch (const Error& e) {
    throw run::PhaseFailure{"req/" + name + " was not written: " + e.message() + " (" + e.context() + ")"};
  }
  context.measure("request_bytes", static_cast<double>(bytes.size()), "B");

  const AwaitedAnswer awaited =
      await_answer(res_dir, answer_name, deadline, terminal.settle, context.clock(), terminal.ended);
  const double waited_ms = std::chrono::duration<double, std::milli>(awaited.waited).count();
  const bool still_in_req = std::filesystem::exists(terminal.root / "req" / name);
  const std::string taken_up = still_in_req ? " (req/" + name + " is still in req/: not taken up)" : "";
  switch (awaited.outcome) {
    case AwaitedAnswer::Outcome::deadline_passed:
      throw run::PhaseFailure{"no answer res/" + answer_name + " within the deadline of " + milliseconds_text(deadline) +
                              " for req/" + name + taken_up};
    case AwaitedAnswer::Outcome::terminal_ended:
      throw run::PhaseFailure{"the terminal under test ended (" + awaited.terminal_end + ") after " +
                              std::to_string(static_cast<long long>(waited_ms)) + " ms without answering req/" + name +
                              " in res/" + answer_name};
    case AwaitedAnswer::Outcome::arrived:
      break;
  }
  context.measure("answer_ms", waited_ms, "ms", run::Limits::at_most(static_cast<double>(deadline.count())));

  const std::string answer = read_whole(awaited.file);
  const AnswerVerdict verdict =
      check_answer(answer, "res/" + answer_name, request.expect, request.identifier, terminal.facility_code);
  context.measure("answer_bytes", static_cast<double>(verdict.bytes), "B");
  context.detail("answer_encoding", verdict.encoding == ons::TextEncoding::shift_jis ? "shift_jis" : "utf-8");
  for (std::size_t i = 0; i < verdict.problems.size(); ++i) context.detail("problem." + std::to_string(i + 1), verdict.problems[i]);

  // Taken up as a receipt computer does: out of res/, into its own archive.
  const std::filesystem::path archive = terminal.archive.empty() ? terminal.root / "receipt-archive" : terminal.archive;
  std::error_code ec;
  std::filesystem::create_directories(archive, ec);
  std::filesystem::rename(awaited.file, archive / answer_name, ec);
  if (ec) context.detail("archive_error", "res/" + answer_name + " could not be moved to " + archive.string() + ": " + ec.message());

  if (!verdict.passed()) throw run::PhaseFailure{verdict.summary()};
}

}  // namespace

run::Plan receipt_plan(const ReceiptSession& session, const population::Population& population,
                       TerminalUnderTest& terminal) {
  run::Plan plan;
  plan.name = "receipt-computer." + session.name;
  plan.attributes = {{"session", session.name}, {"terminal_root", terminal.root.string()}};
  plan.plugs.bind(kPlug, terminal);
  auto state = std::make_shared<RunState>();
  for (const SessionRequest& request : session.requests) {
    const population::Patient& patient = population.patient(request.patient);
    run::Phase phase;
    phase.name = "receipt." + request.name;
    phase.plugs = {kPlug};
    phase.on_failure = run::OnFailure::continue_run;
    phase.body = [&request, &patient, deadline = session.answer_deadline, state](run::PhaseContext& context) {
      ask(context, request, patient, deadline, *state);
    };
    plan.phases.push_back(std::move(phase));
  }
  return plan;
}

}  // namespace onshi::receipt
