#pragma once
// Reading a JSON Lines record (run --events, optest's record.jsonl; docs/records.md) in a test:
// every line parsed, a line that does not parse fails the test naming file and line, and the
// phases that ended, in order. And one whole JSON file (load's summary.json).
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

// One JSON document: a file that is missing or does not parse fails the test naming it, and
// reads as an empty object.
inline nlohmann::json json_file(const std::filesystem::path& file) {
  if (!std::filesystem::is_regular_file(file)) {
    ADD_FAILURE() << "no file " << file;
    return nlohmann::json::object();
  }
  try {
    return nlohmann::json::parse(read_file(file));
  } catch (const nlohmann::json::exception& e) {
    ADD_FAILURE() << file << " is not JSON (" << e.what() << ")";
    return nlohmann::json::object();
  }
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
