#pragma once
// Reads a TOML file with errors that name the file, the line and the key, so a person can
// fix a rig file, scenario or fixture without guessing.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

namespace onshi::config {

class TomlReader {
 public:
  // Throws Error(config) "FILE:LINE:COL: <parser message>" on a syntax error, or
  // Error(not_found) when the file does not exist.
  explicit TomlReader(std::filesystem::path file);
  // Parses text; `name` stands in for the file name in messages.
  TomlReader(std::string_view text, std::string name);

  const toml::table& root() const { return root_; }
  const std::string& name() const { return name_; }

  std::string required_string(const toml::table& t, std::string_view key) const;
  std::string optional_string(const toml::table& t, std::string_view key, std::string fallback = {}) const;
  std::int64_t required_int(const toml::table& t, std::string_view key) const;
  std::int64_t optional_int(const toml::table& t, std::string_view key, std::int64_t fallback) const;
  double optional_double(const toml::table& t, std::string_view key, double fallback) const;
  bool optional_bool(const toml::table& t, std::string_view key, bool fallback) const;
  const toml::table& required_table(const toml::table& t, std::string_view key) const;
  const toml::table* optional_table(const toml::table& t, std::string_view key) const;
  std::vector<std::reference_wrapper<const toml::table>> array_of_tables(const toml::table& t,
                                                                         std::string_view key) const;
  std::vector<std::string> optional_string_array(const toml::table& t, std::string_view key) const;

  // Rejects keys outside `allowed` (a typo in a rig file must not pass silently).
  void only_keys(const toml::table& t, std::initializer_list<std::string_view> allowed) const;

  // "FILE:LINE: key 'x'" for a node, for messages of callers that check values themselves.
  std::string where(const toml::node& node, std::string_view key) const;
  std::string where(const toml::table& parent) const;
  [[noreturn]] void fail(const toml::node& node, std::string_view key, const std::string& message) const;

 private:
  std::string name_;
  toml::table root_;
};

}  // namespace onshi::config
