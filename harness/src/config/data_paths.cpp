#include "onshi/config/data_paths.hpp"

#include <cstdlib>

namespace onshi::config {
namespace {

std::filesystem::path from_environment(const char* variable, const char* fallback) {
  if (const char* env = std::getenv(variable); env != nullptr && *env != '\0') return env;
  return fallback;
}

}  // namespace

std::filesystem::path fixtures_dir() { return from_environment("ONSHI_FIXTURES_DIR", ONSHI_SOURCE_FIXTURES_DIR); }
std::filesystem::path rigs_dir() { return from_environment("ONSHI_RIGS_DIR", ONSHI_SOURCE_RIGS_DIR); }

}  // namespace onshi::config
