#pragma once
// A page a clinic's staff can read (docs/optest.md, "Evidence"): per run its attributes (rig,
// versions, certificate fingerprints, ...), a summary, and every check with its verdict,
// reason, measurements (value, unit, limits, verdict) and details, and a timeline per
// reception (card, reader, flow, ONS journal). One self-contained HTML5
// file: inline CSS, no script, no external asset, so it opens from a USB stick years later.
#include <filesystem>
#include <string>
#include <vector>

#include "onshi/flow/run_record.hpp"
#include "onshi/report/reporter.hpp"
#include "onshi/run/run_result.hpp"

namespace onshi::report {

std::string to_html(const std::vector<run::RunResult>& runs, const std::string& title);
// With a timeline per reception after the checks (onshi/report/html_timeline.hpp).
std::string to_html(const std::vector<run::RunResult>& runs, const std::string& title,
                    const std::vector<flow::RunRecord>& receptions);

class HtmlReporter final : public Reporter {
 public:
  HtmlReporter(std::filesystem::path file, std::string title) : file_(std::move(file)), title_(std::move(title)) {}
  void run_started(const run::RunStarted& /*event*/) override {}
  void phase_ended(const run::PhaseEnded& /*event*/) override {}
  void run_ended(const run::RunEnded& event) override { runs_.push_back(event.result); }
  // The receptions whose timelines the page shows (their records, with the ONS journal).
  void add_receptions(std::vector<flow::RunRecord> receptions) { receptions_ = std::move(receptions); }
  // Writes atomically; Error(io) naming the path.
  void finish() override;

 private:
  std::filesystem::path file_;
  std::string title_;
  std::vector<run::RunResult> runs_;
  std::vector<flow::RunRecord> receptions_;
};

}  // namespace onshi::report
