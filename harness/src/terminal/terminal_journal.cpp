#include "onshi/terminal/terminal_journal.hpp"

#include <nlohmann/json.hpp>
#include <system_error>

#include "onshi/core/error.hpp"

namespace onshi::terminal {

TerminalJournal::TerminalJournal(std::filesystem::path file) : file_(std::move(file)) {
  std::error_code ec;
  if (file_.has_parent_path()) std::filesystem::create_directories(file_.parent_path(), ec);
  out_.open(file_, std::ios::app | std::ios::binary);
  if (!out_) throw Error(ErrorCode::io, "cannot open the terminal journal for appending", file_.string());
}

void TerminalJournal::append(const JournalEntry& e) {
  nlohmann::ordered_json j;
  j["time"] = e.time;
  j["event"] = e.event;
  const auto put = [&j](const char* key, const std::string& value) {
    if (!value.empty()) j[key] = value;
  };
  put("request", e.request);
  put("kind", e.kind);
  put("request_encoding", e.request_encoding);
  put("answer", e.answer);
  put("answer_encoding", e.answer_encoding);
  put("error_code", e.error_code);
  put("reason", e.reason);
  put("moved_to", e.moved_to);
  put("identity", e.identity);
  if (e.duration_ms >= 0) j["duration_ms"] = e.duration_ms;
  const std::lock_guard lock(mutex_);
  // replace: a reason quoting a file's broken bytes still makes one valid UTF-8 line.
  out_ << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  out_.flush();
}

}  // namespace onshi::terminal
