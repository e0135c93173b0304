// JSON Lines of the run executor's events; the line schema is in docs/records.md.
#include "onshi/report/jsonl_reporter.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <nlohmann/json.hpp>

#include "onshi/core/error.hpp"
#include "onshi/core/iso8601.hpp"

namespace onshi::report {
namespace {

using nlohmann::ordered_json;

double milliseconds(Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }
long long microseconds(Duration d) { return std::chrono::duration_cast<std::chrono::microseconds>(d).count(); }

ordered_json attributes_json(const run::Attributes& attributes) {
  ordered_json out = ordered_json::object();
  for (const auto& [name, value] : attributes) out[name] = value;
  return out;
}

ordered_json limits_json(const std::optional<run::Limits>& limits) {
  if (!limits) return nullptr;
  ordered_json out = ordered_json::object();
  auto put = [&](const char* key, const std::optional<double>& v) { out[key] = v ? ordered_json(*v) : ordered_json(nullptr); };
  put("low", limits->low);
  put("high", limits->high);
  put("marginal_low", limits->marginal_low);
  put("marginal_high", limits->marginal_high);
  return out;
}

ordered_json value_json(const run::MeasurementValue& value) {
  if (const double* number = std::get_if<double>(&value)) return *number;
  return std::get<std::string>(value);
}

// Peer text (a reason quoting the ONS's answer) may hold bytes that are not UTF-8: replaced
// by U+FFFD rather than throwing from a sink.
std::string line_text(const ordered_json& line) { return line.dump(-1, ' ', false, ordered_json::error_handler_t::replace); }

}  // namespace

JsonLinesReporter::JsonLinesReporter(std::filesystem::path file, const Clock& clock)
    : file_(std::move(file)), clock_(clock) {
  fd_ = ::open(file_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw Error(ErrorCode::io, std::string("cannot open for appending: ") + std::strerror(errno), file_.string());
}

JsonLinesReporter::~JsonLinesReporter() {
  flush();
  if (fd_ >= 0) ::close(fd_);
}

void JsonLinesReporter::add_line(std::string line) {
  pending_ += line;
  pending_ += '\n';
}

// One write(2) for the pending lines: with O_APPEND the kernel places it at the end of the file
// as one piece, so another appender's lines never land inside ours. A short write (a full
// disk) is retried from where it stopped; the error, if any, is kept for finish().
void JsonLinesReporter::flush() {
  if (pending_.empty() || fd_ < 0 || !error_.empty()) {
    pending_.clear();
    return;
  }
  std::size_t written = 0;
  while (written < pending_.size()) {
    const ssize_t n = ::write(fd_, pending_.data() + written, pending_.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error_ = std::string("cannot append: ") + (n < 0 ? std::strerror(errno) : "nothing written");
      break;
    }
    written += static_cast<std::size_t>(n);
  }
  pending_.clear();
}

void JsonLinesReporter::run_started(const run::RunStarted& event) {
  ordered_json line = {{"event", "run_started"},
                       {"schema", kRunEventsSchema},
                       {"run", event.run},
                       {"at", format_iso8601_utc(clock_.wall_now(), true)},
                       {"started", format_iso8601_utc(event.started, true)},
                       {"phases", event.phases},
                       {"attributes", attributes_json(event.attributes)}};
  add_line(line_text(line));
  flush();
}

void JsonLinesReporter::phase_started(const run::PhaseStarted& event) {
  ordered_json line = {{"event", "phase_started"},
                       {"run", event.run},
                       {"at", format_iso8601_utc(clock_.wall_now(), true)},
                       {"index", event.index},
                       {"phase", event.phase}};
  add_line(line_text(line));
}

void JsonLinesReporter::measurement_recorded(const run::MeasurementRecorded& event) {
  const run::Measurement& m = event.measurement;
  ordered_json line = {{"event", "measurement"},
                       {"run", event.run},
                       {"at", format_iso8601_utc(clock_.wall_now(), true)},
                       {"phase", event.phase},
                       {"name", m.name},
                       {"value", value_json(m.value)},
                       {"unit", m.unit},
                       {"limits", limits_json(m.limits)},
                       {"verdict", std::string(run::to_string(m.verdict))}};
  add_line(line_text(line));
}

void JsonLinesReporter::phase_ended(const run::PhaseEnded& event) {
  const run::PhaseResult& r = event.result;
  ordered_json details = ordered_json::object();
  for (const auto& [name, value] : r.details) details[name] = value;
  ordered_json line = {{"event", "phase_ended"},
                       {"run", event.run},
                       {"at", format_iso8601_utc(clock_.wall_now(), true)},
                       {"index", event.index},
                       {"phase", r.name},
                       {"status", std::string(run::to_string(r.verdict))},
                       {"reason", r.reason},
                       {"duration_us", microseconds(r.duration)},
                       {"duration_ms", milliseconds(r.duration)},
                       {"details", details}};
  add_line(line_text(line));
  flush();
}

void JsonLinesReporter::run_ended(const run::RunEnded& event) {
  const run::RunResult& r = event.result;
  ordered_json line = {{"event", "run_ended"},
                       {"run", r.name},
                       {"at", format_iso8601_utc(clock_.wall_now(), true)},
                       {"status", r.all_phases_passed() ? "passed" : "failed"},
                       {"met_expectation", r.met_expectation()},
                       {"total_us", microseconds(r.total)},
                       {"total_ms", milliseconds(r.total)},
                       {"attributes", attributes_json(r.attributes)}};
  add_line(line_text(line));
  flush();
}

void JsonLinesReporter::finish() {
  flush();
  if (!error_.empty()) throw Error(ErrorCode::io, error_, file_.string());
}

}  // namespace onshi::report
