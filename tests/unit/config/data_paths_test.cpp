// Where shipped data is found: the source tree by default, an environment variable when a
// copied or installed tree lives elsewhere (an empty one counts as unset).
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "onshi/config/data_paths.hpp"

namespace onshi::config {
namespace {

// Sets (or unsets) an environment variable for one scope and restores it after.
class ScopedEnvironment {
 public:
  ScopedEnvironment(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value != nullptr) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnvironment() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnvironment(const ScopedEnvironment&) = delete;
  ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(DataPaths, DefaultsAreTheSourceTreesFolders) {
  const ScopedEnvironment fixtures("ONSHI_FIXTURES_DIR", nullptr);
  const ScopedEnvironment rigs("ONSHI_RIGS_DIR", nullptr);
  EXPECT_EQ(fixtures_dir(), std::filesystem::path(ONSHI_SOURCE_FIXTURES_DIR));
  EXPECT_EQ(rigs_dir(), std::filesystem::path(ONSHI_SOURCE_RIGS_DIR));
  EXPECT_TRUE(std::filesystem::exists(fixtures_dir() / "scenarios" / "catalogue.toml"));
  EXPECT_TRUE(std::filesystem::exists(rigs_dir() / "emulated.toml"));
}

TEST(DataPaths, EnvironmentOverridesEachFolder) {
  const ScopedEnvironment fixtures("ONSHI_FIXTURES_DIR", "/opt/onshi/fixtures");
  const ScopedEnvironment rigs("ONSHI_RIGS_DIR", "/opt/onshi/rigs");
  EXPECT_EQ(fixtures_dir(), std::filesystem::path("/opt/onshi/fixtures"));
  EXPECT_EQ(rigs_dir(), std::filesystem::path("/opt/onshi/rigs"));
}

TEST(DataPaths, AnEmptyVariableCountsAsUnset) {
  const ScopedEnvironment fixtures("ONSHI_FIXTURES_DIR", "");
  EXPECT_EQ(fixtures_dir(), std::filesystem::path(ONSHI_SOURCE_FIXTURES_DIR));
}

}  // namespace
}  // namespace onshi::config
