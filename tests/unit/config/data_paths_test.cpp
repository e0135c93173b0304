// Where shipped data is found: the source tree by default, an environment variable when a
// copied or installed tree lives elsewhere (an empty one counts as unset), and beside the
// program when it sits in an install layout (<bin>/../share/onshi-hil/).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include "onshi/config/data_paths.hpp"
#include "onshi/testing/files.hpp"
#include "onshi/testing/process.hpp"

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

// Also the child of the next test: with $ONSHI_DATA_PATHS_REPORT set it writes the folders it
// found there.
TEST(DataPaths, TheFoldersFoundHoldTheShippedData) {
  EXPECT_TRUE(std::filesystem::exists(fixtures_dir() / "scenarios" / "catalogue.toml")) << fixtures_dir();
  EXPECT_TRUE(std::filesystem::exists(rigs_dir() / "emulated.toml")) << rigs_dir();
  if (const char* report = std::getenv("ONSHI_DATA_PATHS_REPORT")) {
    std::ofstream(report) << fixtures_dir().string() << "\n" << rigs_dir().string() << "\n";
  }
}

TEST(DataPaths, AProgramInAnInstallLayoutFindsItsDataBesideItself) {
  const std::filesystem::path root =
      std::filesystem::temp_directory_path() / ("onshi-data-paths-" + std::to_string(::getpid()));
  std::filesystem::remove_all(root);
  const std::filesystem::path data = root / "share" / "onshi-hil";
  std::filesystem::create_directories(root / "bin");
  std::filesystem::create_directories(data / "fixtures" / "scenarios");
  std::filesystem::create_directories(data / "rigs");
  std::ofstream(data / "fixtures" / "scenarios" / "catalogue.toml") << "# installed\n";
  std::ofstream(data / "rigs" / "emulated.toml") << "# installed\n";
  const std::filesystem::path program = root / "bin" / "unit_config";
  std::filesystem::copy_file(std::filesystem::read_symlink("/proc/self/exe"), program);

  const ScopedEnvironment fixtures("ONSHI_FIXTURES_DIR", nullptr);
  const ScopedEnvironment rigs("ONSHI_RIGS_DIR", nullptr);
  const ScopedEnvironment report("ONSHI_DATA_PATHS_REPORT", (root / "report.txt").c_str());
  const auto child = onshi::testing::run_process(
      {program.string(), "--gtest_filter=DataPaths.TheFoldersFoundHoldTheShippedData"});
  EXPECT_TRUE(child.succeeded()) << child.describe();
  EXPECT_EQ(onshi::testing::read_file(root / "report.txt"),
            (data / "fixtures").string() + "\n" + (data / "rigs").string() + "\n");
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace onshi::config
