#pragma once
// The per-step table `onshi-hil run` prints, streamed as the run goes: a header with the run's
// attributes, one row per phase (step, status, duration, reason), the total, and, for runs
// that expect a failure, whether it came as expected.
#include <ostream>

#include "onshi/report/reporter.hpp"

namespace onshi::report {

class ConsoleReporter final : public Reporter {
 public:
  explicit ConsoleReporter(std::ostream& out) : out_(out) {}
  void run_started(const run::RunStarted& event) override;
  void phase_ended(const run::PhaseEnded& event) override;
  void run_ended(const run::RunEnded& event) override;

 private:
  std::ostream& out_;
  int name_width_ = 22;  // the longest phase name of the run, at least 22
};

}  // namespace onshi::report
