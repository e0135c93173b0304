#include "onshi/report/json_reporter.hpp"

#include "onshi/core/atomic_file.hpp"
#include "onshi/core/error.hpp"
#include "onshi/report/run_record_json.hpp"

namespace onshi::report {

void JsonReporter::run_ended(const run::RunEnded& event) { records_.push_back(flow::RunRecord::from(event.result)); }

void JsonReporter::add_ons_journal(const std::string& run, std::vector<flow::OnsJournalEntry> journal) {
  for (auto it = records_.rbegin(); it != records_.rend(); ++it) {
    if (it->name == run) {
      it->ons_journal = std::move(journal);
      return;
    }
  }
  throw Error(ErrorCode::not_found, "no run of that name for the ONS journal", run);
}

void JsonReporter::finish() {
  if (records_.size() == 1) {
    write_json(records_.front(), file_);
  } else {
    write_file_atomically(file_, to_json(records_) + "\n");
  }
}

}  // namespace onshi::report
