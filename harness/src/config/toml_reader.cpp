#include "onshi/config/toml_reader.hpp"

#include <fstream>
#include <sstream>

#include "onshi/core/error.hpp"

namespace onshi::config {
namespace {

toml::table parse_or_throw(std::string_view text, const std::string& name) {
  try {
    return toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    const auto& begin = e.source().begin;
    throw Error(ErrorCode::config, std::string(e.description()),
                name + ":" + std::to_string(begin.line) + ":" + std::to_string(begin.column));
  }
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorCode::not_found, "cannot open file", file.string());
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

TomlReader::TomlReader(std::filesystem::path file)
    : name_(file.string()), root_(parse_or_throw(read_file(file), name_)) {}

TomlReader::TomlReader(std::string_view text, std::string name)
    : name_(std::move(name)), root_(parse_or_throw(text, name_)) {}

std::string TomlReader::where(const toml::node& node, std::string_view key) const {
  const auto& src = node.source();
  std::string out = name_;
  if (src.begin.line > 0) out += ":" + std::to_string(src.begin.line);
  out += ": key '" + std::string(key) + "'";
  return out;
}

std::string TomlReader::where(const toml::table& parent) const {
  const auto& src = parent.source();
  std::string out = name_;
  if (src.begin.line > 0) out += ":" + std::to_string(src.begin.line);
  return out;
}

void TomlReader::fail(const toml::node& node, std::string_view key, const std::string& message) const {
  throw Error(ErrorCode::config, message, where(node, key));
}

std::string TomlReader::required_string(const toml::table& t, std::string_view key) const {
  const toml::node* node = t.get(key);
  if (node == nullptr) throw Error(ErrorCode::config, "missing key '" + std::string(key) + "'", where(t));
  const auto* value = node->as_string();
  if (value == nullptr) fail(*node, key, "expected a string");
  return value->get();
}

std::string TomlReader::optional_string(const toml::table& t, std::string_view key, std::string fallback) const {
  const toml::node* node = t.get(key);
  if (node == nullptr) return fallback;
  const auto* value = node->as_string();
  if (value == nullptr) fail(*node, key, "expected a string");
  return value->get();
}

std::int64_t TomlReader::required_int(const toml::table& t, std::string_view key) const {
  const toml::node* node = t.get(key);
  if (node == nullptr) throw Error(ErrorCode::config, "missing key '" + std::string(key) + "'", where(t));
  const auto* value = node->as_integer();
  if (value == nullptr) fail(*node, key, "expected an integer");
  return value->get();
}

std::int64_t TomlReader::optional_int(const toml::table& t, std::string_view key, std::int64_t fallback) const {
  const toml::node* node = t.get(key);
  if (node == nullptr) return fallback;
  const auto* value = node->as_integer();
  if (value == nullptr) fail(*node, key, "expected an integer");
  return value->get();
}

double TomlReader::optional_double(const toml::table& t, std::string_view key, double fallback) const {
  const toml::node* node = t.get(key);
  if (node == nullptr) return fallback;
  if (const auto* f = node->as_floating_point()) return f->get();
  if (const auto* i = node->as_integer()) return static_cast<double>(i->get());
  fail(*node, key, "expected a number");
}

bool TomlReader::optional_bool(const toml::table& t, std::string_view key, bool fallback) const {
  const toml::node* node = t.get(key);
  if (node == nullptr) return fallback;
  const auto* value = node->as_boolean();
  if (value == nullptr) fail(*node, key, "expected true or false");
  return value->get();
}

const toml::table& TomlReader::required_table(const toml::table& t, std::string_view key) const {
  const toml::node* node = t.get(key);
  if (node == nullptr) throw Error(ErrorCode::config, "missing table [" + std::string(key) + "]", where(t));
  const auto* value = node->as_table();
  if (value == nullptr) fail(*node, key, "expected a table");
  return *value;
}

const toml::table* TomlReader::optional_table(const toml::table& t, std::string_view key) const {
  const toml::node* node = t.get(key);
  if (node == nullptr) return nullptr;
  const auto* value = node->as_table();
  if (value == nullptr) fail(*node, key, "expected a table");
  return value;
}

std::vector<std::reference_wrapper<const toml::table>> TomlReader::array_of_tables(const toml::table& t,
                                                                                   std::string_view key) const {
  std::vector<std::reference_wrapper<const toml::table>> out;
  const toml::node* node = t.get(key);
  if (node == nullptr) return out;
  const auto* array = node->as_array();
  if (array == nullptr) fail(*node, key, "expected an array of tables [[" + std::string(key) + "]]");
  for (const toml::node& element : *array) {
    const auto* table = element.as_table();
    if (table == nullptr) fail(element, key, "expected a table in [[" + std::string(key) + "]]");
    out.emplace_back(*table);
  }
  return out;
}

std::vector<std::string> TomlReader::optional_string_array(const toml::table& t, std::string_view key) const {
  std::vector<std::string> out;
  const toml::node* node = t.get(key);
  if (node == nullptr) return out;
  const auto* array = node->as_array();
  if (array == nullptr) fail(*node, key, "expected an array of strings");
  for (const toml::node& element : *array) {
    const auto* s = element.as_string();
    if (s == nullptr) fail(element, key, "expected a string in the array");
    out.push_back(s->get());
  }
  return out;
}

void TomlReader::only_keys(const toml::table& t, std::initializer_list<std::string_view> allowed) const {
  for (const auto& [key, node] : t) {
    bool known = false;
    for (std::string_view a : allowed) known = known || key.str() == a;
    if (!known) {
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      fail(node, key.str(), "unknown key (expected one of: " + list + ")");
    }
  }
}

}  // namespace onshi::config
