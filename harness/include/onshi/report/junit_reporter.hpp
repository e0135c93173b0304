#pragma once
// JUnit XML, the shape Jenkins, GitLab and most CI servers read (the Ant/Jenkins junit
// schema): <testsuites> holds one <testsuite> per run, with the run's attributes as
// <properties>, and one <testcase> per phase, with <failure>, <error> or <skipped> carrying
// the reason, the phase's measurements as <properties>, and its details in <system-out>.
// Times are seconds with millisecond digits; timestamps are UTC without a zone, as Ant writes.
// Nothing here sees a PIN: phases never record one.
#include <filesystem>
#include <string>
#include <vector>

#include "onshi/report/reporter.hpp"
#include "onshi/run/run_result.hpp"

namespace onshi::report {

std::string to_junit_xml(const std::vector<run::RunResult>& runs);

class JUnitReporter final : public Reporter {
 public:
  explicit JUnitReporter(std::filesystem::path file) : file_(std::move(file)) {}
  void run_started(const run::RunStarted& /*event*/) override {}
  void phase_ended(const run::PhaseEnded& /*event*/) override {}
  void run_ended(const run::RunEnded& event) override { runs_.push_back(event.result); }
  // Writes atomically; Error(io) naming the path.
  void finish() override;

 private:
  std::filesystem::path file_;
  std::vector<run::RunResult> runs_;
};

}  // namespace onshi::report
