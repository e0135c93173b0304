#pragma once
// Reading a JSON Lines record (run --events, optest's record.jsonl; docs/records.md) in a test:
// every line parsed, a line that does not parse fails the test naming file and line, and the
// phases that ended, in order.
#include <gtest/gtest.h>

#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "onshi/testing/files.hpp"

namespace onshi::testing {

inline std::vector<nlohmann::json> json_lines(const std::filesystem::path& file) {
  std::vector<nlohmann::json> out;
  std::istringstream in(read_file(file));
  std::size_t number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    try {
      out.push_back(nlohmann::json::parse(line));
    } catch (const nlohmann::json::exception& e) {
      ADD_FAILURE() << file << ":" << number << " is not JSON (" << e.what() << "): " << line;
    }
  }
  return out;
}

// The `phase` of every `phase_ended` event, in the order they were written.
inline std::vector<std::string> ended_phases(const std::vector<nlohmann::json>& lines) {
  std::vector<std::string> out;
  for (const auto& line : lines) {
    if (line.value("event", "") == "phase_ended") out.push_back(line.value("phase", ""));
  }
  return out;
}

}  // namespace onshi::testing
