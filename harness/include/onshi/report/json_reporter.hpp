#pragma once
// The JSON run record (onshi/report/run_record_json.hpp) as a reporter: each run's record is
// built from its RunEnded event; finish() writes one record, or an array when it saw several.
// What the ONS link saw during a run (the embedded mock's journal) is only known after the
// run, so the caller hands it over by run name before finish().
#include <filesystem>
#include <string>
#include <vector>

#include "onshi/flow/run_record.hpp"
#include "onshi/report/reporter.hpp"

namespace onshi::report {

class JsonReporter final : public Reporter {
 public:
  explicit JsonReporter(std::filesystem::path file) : file_(std::move(file)) {}
  void run_started(const run::RunStarted& /*event*/) override {}
  void phase_ended(const run::PhaseEnded& /*event*/) override {}
  void run_ended(const run::RunEnded& event) override;
  // Attaches to the last run of that name; Error(not_found) when no run has it.
  void add_ons_journal(const std::string& run, std::vector<flow::OnsJournalEntry> journal);
  void finish() override;

  const std::vector<flow::RunRecord>& records() const { return records_; }

 private:
  std::filesystem::path file_;
  std::vector<flow::RunRecord> records_;
};

}  // namespace onshi::report
