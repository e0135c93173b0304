#include "onshi/config/data_paths.hpp"

#include <array>
#include <cstdlib>
#include <system_error>

namespace onshi::config {
namespace {

// <folder of the running program>/<bin-to-data relative path>/<name>, or empty when the
// program's path cannot be read.
std::filesystem::path beside_program(const char* name) {
  std::error_code error;
  const std::filesystem::path program = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error || program.empty()) return {};
  return (program.parent_path() / ONSHI_BIN_TO_DATA_DIR / name).lexically_normal();
}

std::filesystem::path find_data_dir(const char* variable, const char* name, const char* source_dir) {
  if (const char* env = std::getenv(variable); env != nullptr && *env != '\0') return env;
  const std::filesystem::path installed = std::filesystem::path(ONSHI_INSTALLED_DATA_DIR) / name;
  const std::array<std::filesystem::path, 3> candidates{beside_program(name), std::filesystem::path(source_dir),
                                                        installed};
  for (const auto& candidate : candidates) {
    std::error_code error;
    if (!candidate.empty() && std::filesystem::is_directory(candidate, error)) return candidate;
  }
  return installed;
}

}  // namespace

std::filesystem::path fixtures_dir() {
  return find_data_dir("ONSHI_FIXTURES_DIR", "fixtures", ONSHI_SOURCE_FIXTURES_DIR);
}
std::filesystem::path rigs_dir() { return find_data_dir("ONSHI_RIGS_DIR", "rigs", ONSHI_SOURCE_RIGS_DIR); }

}  // namespace onshi::config
