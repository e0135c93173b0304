#pragma once
// Compares a reporter's output with the expected file beside the tests. With
// ONSHI_UPDATE_GOLDEN=1 in the environment the file is rewritten instead (then review the diff).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace onshi::report::golden {

inline std::filesystem::path path(const std::string& name) {
  return std::filesystem::path(ONSHI_REPORT_GOLDEN_DIR) / name;
}

inline ::testing::AssertionResult matches(const std::string& name, const std::string& actual) {
  const std::filesystem::path file = path(name);
  if (const char* update = std::getenv("ONSHI_UPDATE_GOLDEN"); update != nullptr && std::string(update) == "1") {
    std::ofstream(file, std::ios::binary) << actual;
    return ::testing::AssertionSuccess() << "rewrote " << file;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return ::testing::AssertionFailure() << "no golden file " << file << " (ONSHI_UPDATE_GOLDEN=1 writes it)";
  std::ostringstream expected;
  expected << in.rdbuf();
  if (expected.str() == actual) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "output differs from " << file << "\n--- expected\n"
                                       << expected.str() << "\n--- actual\n"
                                       << actual;
}

}  // namespace onshi::report::golden
