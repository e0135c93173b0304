#pragma once
// The same content as the HTML report, as GitHub-flavoured Markdown (a vendor pastes it into a
// ticket or a wiki): per run its attributes, then one table row per check and a table of each
// check's measurements. Table cells escape '|' and line breaks.
#include <filesystem>
#include <string>
#include <vector>

#include "onshi/report/reporter.hpp"
#include "onshi/run/run_result.hpp"

namespace onshi::report {

std::string to_markdown(const std::vector<run::RunResult>& runs, const std::string& title);

class MarkdownReporter final : public Reporter {
 public:
  MarkdownReporter(std::filesystem::path file, std::string title) : file_(std::move(file)), title_(std::move(title)) {}
  void run_started(const run::RunStarted& /*event*/) override {}
  void phase_ended(const run::PhaseEnded& /*event*/) override {}
  void run_ended(const run::RunEnded& event) override { runs_.push_back(event.result); }
  // Writes atomically; Error(io) naming the path.
  void finish() override;

 private:
  std::filesystem::path file_;
  std::string title_;
  std::vector<run::RunResult> runs_;
};

}  // namespace onshi::report
