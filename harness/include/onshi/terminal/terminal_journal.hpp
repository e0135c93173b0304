#pragma once
// What the terminal did, one JSON object per line (JSON Lines), appended and flushed as each
// request is handled, so a run that is killed keeps every line written before.
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>

namespace onshi::terminal {

struct JournalEntry {
  std::string time;       // ISO 8601 UTC, milliseconds
  std::string event;      // "answered", "error", "move_failed", "started", "stopped",
                          // "reception", "reception_failed", "reader_error"
  std::string request;    // "req/NAME" (empty for started/stopped)
  std::string kind;       // RequestKind as text
  std::string request_encoding;  // "utf-8" / "shift_jis", when read
  std::string answer;     // "res/NAME" when one was written
  std::string answer_encoding;
  std::string error_code;  // HIL08xx or the ONS's ErrorCode
  std::string reason;      // what went wrong, naming the file
  std::string moved_to;    // where the request went after it was answered
  std::string identity;    // a reception's identity method ("pin", "face", ...)
  double duration_ms = -1;  // from picking the file up to the answer written; <0: not timed
};

class TerminalJournal {
 public:
  // Creates the parent folder; Error(io) naming the file when it cannot be opened.
  explicit TerminalJournal(std::filesystem::path file);
  void append(const JournalEntry& entry);
  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
  std::ofstream out_;
  std::mutex mutex_;
};

}  // namespace onshi::terminal
