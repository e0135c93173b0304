#include "onshi/links/link_table.hpp"

#include "onshi/core/error.hpp"

namespace onshi::links {
namespace {

std::string line_of(const toml::source_region& source) {
  return source.begin.line > 0 ? ":" + std::to_string(source.begin.line) : std::string();
}

}  // namespace

const std::filesystem::path& RigPath::existing_file() const {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(resolved, ec)) {
    throw Error(ErrorCode::not_found,
                "no such file: " + resolved.string() + (written != resolved.string() ? " ('" + written + "' in the rig)" : ""),
                where);
  }
  return resolved;
}

LinkTable::LinkTable(const config::TomlReader& reader, const toml::table* table, std::string section)
    : reader_(reader), table_(table), section_(std::move(section)) {
  // Absolute, so an error can name the resolved path whatever the working directory.
  std::error_code ec;
  base_dir_ = std::filesystem::absolute(std::filesystem::path(reader.name()), ec).parent_path().lexically_normal();
}

bool LinkTable::has(std::string_view key) const { return table_ != nullptr && table_->get(key) != nullptr; }

std::string LinkTable::where(std::string_view key) const {
  const toml::node* node = table_ != nullptr ? table_->get(key) : nullptr;
  if (node == nullptr) return where() + " key '" + std::string(key) + "'";
  return reader_.name() + line_of(node->source()) + ": [" + section_ + "] key '" + std::string(key) + "'";
}

std::string LinkTable::where() const {
  return reader_.name() + (table_ != nullptr ? line_of(table_->source()) : std::string()) + ": [" + section_ + "]";
}

void LinkTable::fail(std::string_view key, const std::string& message) const {
  throw Error(ErrorCode::config, message, where(key));
}

std::string LinkTable::string(std::string_view key, std::string fallback) const {
  const toml::node* node = table_ != nullptr ? table_->get(key) : nullptr;
  if (node == nullptr) return fallback;
  const auto* value = node->as_string();
  if (value == nullptr) fail(key, "expected a string");
  return value->get();
}

std::string LinkTable::required_string(std::string_view key) const {
  if (!has(key)) throw Error(ErrorCode::config, "missing key '" + std::string(key) + "'", where());
  return string(key);
}

std::string LinkTable::one_of(std::string_view key, std::string fallback,
                              std::initializer_list<std::string_view> allowed) const {
  std::string value = string(key, std::move(fallback));
  std::string list;
  for (std::string_view a : allowed) {
    if (value == a) return value;
    list += (list.empty() ? "" : ", ") + std::string(a);
  }
  fail(key, "'" + value + "' is not supported (supported: " + list + ")");
}

std::int64_t LinkTable::integer(std::string_view key, std::int64_t fallback, std::int64_t min, std::int64_t max) const {
  const toml::node* node = table_ != nullptr ? table_->get(key) : nullptr;
  if (node == nullptr) return fallback;
  const auto* value = node->as_integer();
  if (value == nullptr) fail(key, "expected an integer");
  if (value->get() < min || value->get() > max) {
    fail(key, "must be " + std::to_string(min) + ".." + std::to_string(max) + ", got " + std::to_string(value->get()));
  }
  return value->get();
}

RigPath LinkTable::path(std::string_view key) const {
  RigPath p;
  p.written = string(key);
  p.where = where(key);
  if (!p.written.empty()) {
    const std::filesystem::path written(p.written);
    p.resolved = (written.is_absolute() ? written : base_dir_ / written).lexically_normal();
  }
  return p;
}

RigPath LinkTable::required_path(std::string_view key) const {
  if (!has(key)) throw Error(ErrorCode::config, "missing key '" + std::string(key) + "'", where());
  RigPath p = path(key);
  if (p.empty()) fail(key, "must name a file");
  return p;
}

}  // namespace onshi::links
