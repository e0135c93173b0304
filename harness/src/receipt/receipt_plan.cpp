#include "onshi/receipt/receipt_plan.hpp"

#include <functional>
#include <memory>
#include <thread>
#include <system_error>

#include "onshi/core/atomic_file.hpp"
#include "onshi/core/error.hpp"
#include "onshi/receipt/answer_check.hpp"
#include "onshi/receipt/bulk_check.hpp"
#include "onshi/receipt/information_check.hpp"
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

// One request file written into req/ and its answer awaited in res/; throws PhaseFailure naming
// the file when it is not written, not answered in time, or the terminal ended.
struct Exchanged {
  std::string answer_name;
  std::filesystem::path file;  // the answer, where it arrived
  std::string bytes;           // and what it holds
  double answer_ms = 0;
};

Exchanged exchange(run::PhaseContext& context, TerminalUnderTest& terminal, std::string_view prefix,
                   const std::function<std::string(WallTime)>& bytes_at, std::chrono::milliseconds deadline,
                   RunState& state, const std::string& detail_prefix) {
  if (terminal.ended) {
    if (auto ended = terminal.ended()) {
      throw run::PhaseFailure{"the terminal under test has ended (" + *ended + "): nobody answers req/"};
    }
  }
  const WallTime now = context.clock().wall_now();
  const std::string name = free_request_name(terminal.root, now, state.next_sequence, prefix);
  state.next_sequence = static_cast<unsigned>(std::stoul(name.substr(name.size() - 8, 4))) + 1;
  Exchanged out;
  out.answer_name = terminal::response_name(name);
  context.detail(detail_prefix + "request", "req/" + name);
  context.detail(detail_prefix + "answer", "res/" + out.answer_name);

  const std::filesystem::path res_dir = terminal.root / "res";
  if (!std::filesystem::is_directory(res_dir)) {
    throw run::PhaseFailure{"the terminal's res/ folder does not exist: " + res_dir.string()};
  }
  const std::string bytes = bytes_at(now);
  try {
    drop_request(terminal.root / "req", name, bytes);
  } catch (const Error& e) {
    throw run::PhaseFailure{"req/" + name + " was not written: " + e.message() + " (" + e.context() + ")"};
  }
  if (detail_prefix.empty()) context.measure("request_bytes", static_cast<double>(bytes.size()), "B");

  const AwaitedAnswer awaited =
      await_answer(res_dir, out.answer_name, deadline, terminal.settle, context.clock(), terminal.ended);
  out.answer_ms = std::chrono::duration<double, std::milli>(awaited.waited).count();
  const bool still_in_req = std::filesystem::exists(terminal.root / "req" / name);
  const std::string taken_up = still_in_req ? " (req/" + name + " is still in req/: not taken up)" : "";
  switch (awaited.outcome) {
    case AwaitedAnswer::Outcome::deadline_passed:
      throw run::PhaseFailure{"no answer res/" + out.answer_name + " within the deadline of " +
                              milliseconds_text(deadline) + " for req/" + name + taken_up};
    case AwaitedAnswer::Outcome::terminal_ended:
      throw run::PhaseFailure{"the terminal under test ended (" + awaited.terminal_end + ") after " +
                              std::to_string(static_cast<long long>(out.answer_ms)) + " ms without answering req/" +
                              name + " in res/" + out.answer_name};
    case AwaitedAnswer::Outcome::arrived:
      break;
  }
  out.file = awaited.file;
  out.bytes = read_whole(awaited.file);
  return out;
}

// Taken up as a receipt computer does: out of res/, into its own archive.
void take_up(run::PhaseContext& context, const TerminalUnderTest& terminal, const Exchanged& answer) {
  const std::filesystem::path archive = terminal.archive.empty() ? terminal.root / "receipt-archive" : terminal.archive;
  std::error_code ec;
  std::filesystem::create_directories(archive, ec);
  std::filesystem::rename(answer.file, archive / answer.answer_name, ec);
  if (ec) {
    context.detail("archive_error",
                   "res/" + answer.answer_name + " could not be moved to " + archive.string() + ": " + ec.message());
  }
}

void report(run::PhaseContext& context, const AnswerVerdict& verdict) {
  context.detail("answer_encoding", verdict.encoding == ons::TextEncoding::shift_jis ? "shift_jis" : "utf-8");
  for (std::size_t i = 0; i < verdict.problems.size(); ++i) {
    context.detail("problem." + std::to_string(i + 1), verdict.problems[i]);
  }
}

void ask(run::PhaseContext& context, const SessionRequest& request, const population::Patient& patient,
         const population::Population& population, std::chrono::milliseconds deadline, RunState& state) {
  TerminalUnderTest& terminal = context.plug<TerminalUnderTest>(kPlug);
  const auto bytes_at = [&](WallTime now) {
    return request_bytes(request, patient, terminal.facility_code, now, &population);
  };
  const Exchanged answer = exchange(context, terminal, request_prefix(request.body), bytes_at, deadline, state, "");
  context.measure("answer_ms", answer.answer_ms, "ms", run::Limits::at_most(static_cast<double>(deadline.count())));
  const std::string shown = "res/" + answer.answer_name;
  AnswerVerdict verdict;
  switch (request.body) {
    case RequestBody::medication:
    case RequestBody::checkup:
      verdict = check_information_answer(
          answer.bytes, shown,
          request.body == RequestBody::medication ? ons::InformationKind::medication : ons::InformationKind::checkup,
          request.expect, request.identifier, terminal.facility_code);
      break;
    case RequestBody::search_inquiry:
    case RequestBody::truncated:
    case RequestBody::bulk:
      verdict = check_answer(answer.bytes, shown, request.expect, request.identifier, terminal.facility_code);
      break;
  }
  context.measure("answer_bytes", static_cast<double>(verdict.bytes), "B");
  report(context, verdict);
  take_up(context, terminal, answer);
  if (!verdict.passed()) throw run::PhaseFailure{verdict.summary()};
}

// The bulk pair: OQSmuquc01req for every listed person, then OQSmuquc02req by ReceptionNumber,
// a new file each time, while the answer says SegmentOfResult 2; the whole fetch is bounded by
// the deadline too.
void ask_bulk(run::PhaseContext& context, const SessionRequest& request, const population::Patient& patient,
              const population::Population& population, std::chrono::milliseconds deadline, RunState& state) {
  TerminalUnderTest& terminal = context.plug<TerminalUnderTest>(kPlug);
  const auto submit_bytes = [&](WallTime now) {
    return request_bytes(request, patient, terminal.facility_code, now, &population);
  };
  const Exchanged submitted = exchange(context, terminal, request_prefix(request.body), submit_bytes, deadline, state, "");
  context.measure("answer_ms", submitted.answer_ms, "ms", run::Limits::at_most(static_cast<double>(deadline.count())));
  const BulkVerdict receipt =
      check_bulk_receipt(submitted.bytes, "res/" + submitted.answer_name, request.identifier, terminal.facility_code);
  report(context, receipt);
  take_up(context, terminal, submitted);
  if (!receipt.passed()) throw run::PhaseFailure{receipt.summary()};
  context.detail("reception_number", receipt.reception_number);

  const MonotonicTime started = context.clock().monotonic_now();
  const auto fetch_bytes = [&](WallTime) {
    return bulk_fetch_bytes(terminal.facility_code, receipt.reception_number, request.encoding);
  };
  for (unsigned fetches = 1;; ++fetches) {
    const Exchanged fetched = exchange(context, terminal, "OQSmuquc02req_", fetch_bytes, deadline, state,
                                       "fetch." + std::to_string(fetches) + ".");
    const BulkVerdict verdict = check_bulk_result(fetched.bytes, "res/" + fetched.answer_name, request.bulk,
                                                  request.expect, receipt.reception_number, terminal.facility_code);
    take_up(context, terminal, fetched);
    const Duration spent = context.clock().monotonic_now() - started;
    if (verdict.pending && verdict.passed() && spent < deadline) {
      // 処理中: ask again with a new file, after a pause that spares the terminal a busy loop.
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
      continue;
    }
    context.measure("bulk_fetches", static_cast<double>(fetches), "");
    context.measure("bulk_ms", std::chrono::duration<double, std::milli>(spent).count(), "ms");
    context.measure("answer_bytes", static_cast<double>(verdict.bytes), "B");
    report(context, verdict);
    if (verdict.pending && verdict.passed()) {
      throw run::PhaseFailure{"res/" + fetched.answer_name + ": still SegmentOfResult 2 (処理中) after " +
                              std::to_string(fetches) + " fetches in " + milliseconds_text(deadline) +
                              " for ReceptionNumber " + receipt.reception_number};
    }
    if (!verdict.passed()) throw run::PhaseFailure{verdict.summary()};
    return;
  }
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
    phase.body = [&request, &patient, &population, deadline = session.answer_deadline,
                  state](run::PhaseContext& context) {
      if (request.body == RequestBody::bulk) {
        ask_bulk(context, request, patient, population, deadline, *state);
      } else {
        ask(context, request, patient, population, deadline, *state);
      }
    };
    plan.phases.push_back(std::move(phase));
  }
  return plan;
}

}  // namespace onshi::receipt
