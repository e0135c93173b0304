#pragma once
// The run executor's events as JSON Lines, appended as they happen (docs/records.md): one
// line per event, each a whole JSON object. Lines are held in memory only until their phase
// ends (or the run starts or ends), then go to the file in one write(2) on an O_APPEND file
// descriptor, so a process killed at any moment (SIGKILL included) leaves every finished
// phase readable and never half a line; several runs (or processes) can append to one file.
// Written to the kernel, not synced to disk: a killed process loses nothing, a power cut may.
// Sinks must not throw: the first write error is kept and thrown by finish() (Error(io)
// naming the file), and no later line is written after it.
#include <filesystem>
#include <string>

#include "onshi/core/clock.hpp"
#include "onshi/report/reporter.hpp"

namespace onshi::report {

inline constexpr const char* kRunEventsSchema = "onshi-hil/run-events/1";

class JsonLinesReporter final : public Reporter {
 public:
  // Opens (creates, mode 0644) `file` for appending; Error(io) naming it when it cannot.
  // `clock` stamps each line's "at" (wall time, UTC, milliseconds).
  explicit JsonLinesReporter(std::filesystem::path file, const Clock& clock = SystemClock::instance());
  ~JsonLinesReporter() override;
  JsonLinesReporter(const JsonLinesReporter&) = delete;
  JsonLinesReporter& operator=(const JsonLinesReporter&) = delete;

  void run_started(const run::RunStarted& event) override;
  void phase_started(const run::PhaseStarted& event) override;
  void measurement_recorded(const run::MeasurementRecorded& event) override;
  void phase_ended(const run::PhaseEnded& event) override;
  void run_ended(const run::RunEnded& event) override;
  // Writes what is pending (nothing, after a run ended) and throws the first write error.
  void finish() override;

  const std::filesystem::path& file() const { return file_; }

 private:
  void add_line(std::string line);
  void flush();

  std::filesystem::path file_;
  const Clock& clock_;
  int fd_ = -1;
  std::string pending_;  // whole lines, each ending in '\n'
  std::string error_;    // the first write error, "" while none
};

}  // namespace onshi::report
