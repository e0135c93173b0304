#pragma once
// The harness as the qualification terminal for a receipt computer under test
// (docs/terminal.md): watches <root>/req/, asks the ONS for each request file it can answer,
// writes <root>/res/<same name, req -> res>, moves the request into <root>/trash/ and
// journals the lot in <root>/terminal-journal.jsonl. Bad input and an ONS that does not
// answer get an error result file (SegmentOfResult 9) instead of a crash; the next file is
// served either way.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "onshi/core/clock.hpp"
#include "onshi/ons/ons_client.hpp"
#include "onshi/ons/wire_format.hpp"
#include "onshi/terminal/folder_watcher.hpp"
#include "onshi/terminal/terminal_journal.hpp"

namespace onshi::terminal {

struct TerminalOptions {
  std::filesystem::path root;  // holds req/ res/ face/ trash/ and the journal
  std::string facility_code;   // for error answers that could not read the request's own
  ons::TextEncoding answer_encoding = ons::TextEncoding::utf8;
  std::chrono::milliseconds settle{500};
  std::size_t max_request_bytes = std::size_t{1} << 20;
  std::string ons_endpoint;  // for messages: "https://127.0.0.1:44335"
};

class TerminalService {
 public:
  // Creates req/ res/ trash/ under the root; Error(io) naming the folder that cannot be made.
  TerminalService(TerminalOptions options, ons::OnsClient& ons, const Clock& clock = SystemClock::instance());

  // Answers every request that is ready now; returns how many it handled.
  std::size_t serve_ready();
  // --once: serves until nothing is ready or settling (files written in place get their settle
  // time). Returns how many it handled.
  std::size_t serve_once();
  // Serves until `stop` becomes true, checking it at least every `poll`.
  void serve_until(const std::atomic<bool>& stop, std::chrono::milliseconds poll = std::chrono::milliseconds(200));

  FolderWatcher& watcher() { return watcher_; }
  TerminalJournal& journal() { return journal_; }
  const TerminalOptions& options() const { return options_; }

 private:
  void handle(const std::filesystem::path& request);

  TerminalOptions options_;
  ons::OnsClient& ons_;
  const Clock& clock_;
  TerminalJournal journal_;
  FolderWatcher watcher_;
};

}  // namespace onshi::terminal
