#pragma once
// Reads a receipt computer's journal (docs/sut.md, "The SUT's journal"): JSON lines, each
// with "file" ("face/NAME", "res/NAME") and "accepted" (true/false) and, when refused, a
// "reason". Lines that are not JSON objects with those fields are skipped (a journal may hold
// other events).
#include <filesystem>
#include <map>
#include <string>

namespace onshi::receipt_computer_check {

struct SutVerdict {
  bool accepted = false;
  std::string reason;
};

// The last verdict per file; an empty map when the file does not exist (yet).
std::map<std::string, SutVerdict> read_sut_journal(const std::filesystem::path& journal);

}  // namespace onshi::receipt_computer_check
