#pragma once
// What the harness's terminal (onshi/terminal) journaled for the requests it took from req/:
// each `answered` or `error` event, read from a byte offset of its journal on, so a caller can
// ask "what happened since this mark".
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace onshi::receipt_computer_check {

struct TerminalAnswer {
  std::string event;  // answered | error
  std::string request;
  std::string answer;
  std::string error_code;
  std::string reason;
  double duration_ms = -1;
};

// The terminal's answers journaled after byte `offset` of `journal` (none when it is missing).
std::vector<TerminalAnswer> terminal_answers_after(const std::filesystem::path& journal, std::streamoff offset);

// The size of `file` in bytes, 0 when it does not exist (yet): a mark for terminal_answers_after.
std::streamoff size_of(const std::filesystem::path& file);

}  // namespace onshi::receipt_computer_check
