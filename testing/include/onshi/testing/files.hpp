#pragma once
// A whole file as bytes, for tests that check what a program wrote (records, result files,
// logs). A file that cannot be opened reads as "" — the test's own expectation then fails
// naming what it looked for.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace onshi::testing {

inline std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace onshi::testing
