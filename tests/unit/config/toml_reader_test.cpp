// TomlReader: every error a person meets in a rig file, scenario or fixture names the file,
// the line and the key, and says what was expected.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "onshi/config/toml_reader.hpp"
#include "onshi/core/error.hpp"
#include "onshi/testing/error_of.hpp"

namespace onshi::config {
namespace {

const char* const kRig =
    "name = \"bench\"\n"          // 1
    "threads = \"two\"\n"         // 2
    "[reader]\n"                  // 3
    "kind = \"emulated\"\n"       // 4
    "tranport = \"usbip\"\n"      // 5  (a typo)
    "fault_after_exchanges = 3.5\n"  // 6
    "[[patients]]\n"              // 7
    "id = \"P001\"\n";            // 8

using onshi::testing::error_of;

TEST(TomlReader, ReadsValuesAndFallbacks) {
  const TomlReader r(kRig, "rigs/bench.toml");
  EXPECT_EQ(r.name(), "rigs/bench.toml");
  EXPECT_EQ(r.required_string(r.root(), "name"), "bench");
  const toml::table& reader = r.required_table(r.root(), "reader");
  EXPECT_EQ(r.optional_string(reader, "kind"), "emulated");
  EXPECT_EQ(r.optional_string(reader, "identity", "generic-ccid"), "generic-ccid");
  EXPECT_EQ(r.optional_int(reader, "absent", 7), 7);
  EXPECT_DOUBLE_EQ(r.optional_double(reader, "fault_after_exchanges", 0), 3.5);
  EXPECT_EQ(r.array_of_tables(r.root(), "patients").size(), 1u);
  EXPECT_EQ(r.optional_table(r.root(), "ons"), nullptr);
}

TEST(TomlReader, WrongTypeNamesFileLineAndKey) {
  const TomlReader r(kRig, "rigs/bench.toml");
  const Error e = error_of([&] { r.required_int(r.root(), "threads"); });
  EXPECT_EQ(e.code(), ErrorCode::config);
  EXPECT_EQ(e.context(), "rigs/bench.toml:2: key 'threads'");
  EXPECT_EQ(e.message(), "expected an integer");
  const toml::table& reader = r.required_table(r.root(), "reader");
  EXPECT_EQ(error_of([&] { r.optional_int(reader, "fault_after_exchanges", 0); }).context(),
            "rigs/bench.toml:6: key 'fault_after_exchanges'");
  EXPECT_EQ(error_of([&] { r.optional_bool(reader, "kind", false); }).message(), "expected true or false");
  EXPECT_EQ(error_of([&] { r.required_table(r.root(), "name"); }).context(), "rigs/bench.toml:1: key 'name'");
}

TEST(TomlReader, MissingKeyAndTableNameTheTableTheyBelongIn) {
  const TomlReader r(kRig, "rigs/bench.toml");
  const toml::table& reader = r.required_table(r.root(), "reader");
  const Error key = error_of([&] { r.required_string(reader, "device"); });
  EXPECT_EQ(key.message(), "missing key 'device'");
  EXPECT_EQ(key.context(), "rigs/bench.toml:3");  // the [reader] header
  EXPECT_EQ(error_of([&] { r.required_table(r.root(), "ons"); }).message(), "missing table [ons]");
}

TEST(TomlReader, UnknownKeyIsNamedWithTheKnownOnes) {
  const TomlReader r(kRig, "rigs/bench.toml");
  const toml::table& reader = r.required_table(r.root(), "reader");
  const Error e = error_of([&] { r.only_keys(reader, {"kind", "transport", "fault_after_exchanges"}); });
  EXPECT_EQ(e.context(), "rigs/bench.toml:5: key 'tranport'");
  EXPECT_EQ(e.message(), "unknown key (expected one of: kind, transport, fault_after_exchanges)");
}

TEST(TomlReader, SyntaxErrorNamesFileLineAndColumn) {
  const Error e = error_of([] { TomlReader("name = \"x\"\nkind = = 1\n", "rigs/broken.toml"); });
  EXPECT_EQ(e.code(), ErrorCode::config);
  EXPECT_EQ(e.context().rfind("rigs/broken.toml:2:", 0), 0u) << e.what();
  EXPECT_FALSE(e.message().empty());
}

TEST(TomlReader, FilesAreNamedByTheirPathAndAMissingOneIsNotFound) {
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("onshi-toml-" + std::to_string(::getpid()) + ".toml");
  std::ofstream(file) << "\n\nthreads = true\n";
  const TomlReader r(file);
  EXPECT_EQ(error_of([&] { r.required_int(r.root(), "threads"); }).context(), file.string() + ":3: key 'threads'");
  std::filesystem::remove(file);
  const Error missing = error_of([&] { TomlReader{file}; });
  EXPECT_EQ(missing.code(), ErrorCode::not_found);
  EXPECT_EQ(missing.context(), file.string());
}

}  // namespace
}  // namespace onshi::config
