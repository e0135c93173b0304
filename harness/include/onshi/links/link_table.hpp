#pragma once
// A link's table of the rig file ([reader], [card], [ons], [output]) as a backend's parser
// sees it: typed reads whose errors name FILE:LINE and the key, and paths resolved against
// the rig file's folder — one rule for every path in a rig (docs/architecture.md, "Rig files").
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "onshi/config/toml_reader.hpp"

namespace onshi::links {

// A path the rig names: as written, resolved, and where it was written, so a missing file is
// reported as "rigs/site.toml:14: [ons] server_ca: no such file /abs/path/ons-ca.pem".
struct RigPath {
  std::string written;
  std::filesystem::path resolved;  // empty when the key is absent or ""
  std::string where;               // "FILE:LINE: key 'server_ca'"

  bool empty() const { return resolved.empty(); }
  // Throws Error(not_found) naming where and the resolved path when it is not a regular file.
  const std::filesystem::path& existing_file() const;
};

class LinkTable {
 public:
  // `table` is null when the rig has no such section (every key then takes its default).
  LinkTable(const config::TomlReader& reader, const toml::table* table, std::string section);

  const std::string& section() const { return section_; }
  bool has(std::string_view key) const;
  std::string string(std::string_view key, std::string fallback = {}) const;
  std::string required_string(std::string_view key) const;
  // `value` must be one of `allowed`; the error lists them.
  std::string one_of(std::string_view key, std::string fallback, std::initializer_list<std::string_view> allowed) const;
  std::int64_t integer(std::string_view key, std::int64_t fallback, std::int64_t min, std::int64_t max) const;
  RigPath path(std::string_view key) const;
  RigPath required_path(std::string_view key) const;

  // "FILE:LINE: [section] key 'x'" (or the section's line when the key is absent).
  std::string where(std::string_view key) const;
  std::string where() const;
  [[noreturn]] void fail(std::string_view key, const std::string& message) const;

  // The folder relative paths are taken from: the rig file's.
  const std::filesystem::path& base_dir() const { return base_dir_; }
  // The raw table (null when the rig has none) and its reader, for keys that are arrays or
  // tables ([sut] command, env, ready).
  const toml::table* table() const { return table_; }
  const config::TomlReader& reader() const { return reader_; }

 private:
  const config::TomlReader& reader_;
  const toml::table* table_;
  std::string section_;
  std::filesystem::path base_dir_;
};

}  // namespace onshi::links
