#include "sut_table.hpp"

#include <cmath>

#include "onshi/core/error.hpp"

namespace onshi::links {
namespace {

std::chrono::milliseconds seconds_key(const LinkTable& t, std::string_view key, std::chrono::milliseconds fallback) {
  const toml::node* node = t.table() != nullptr ? t.table()->get(key) : nullptr;
  if (node == nullptr) return fallback;
  const std::optional<double> value = node->is_number() ? node->value<double>() : std::nullopt;
  if (!value || !std::isfinite(*value) || *value <= 0 || *value > 86'400) {
    t.fail(key, "expected a number of seconds above 0 (at most 86400)");
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(*value * 1000)));
}

// A path the rig writes: relative ones are taken from the rig file's folder, as every path in
// a rig; one that starts with a {placeholder} is kept for the link to fill.
std::string rig_path(const LinkTable& t, const std::string& written) {
  if (written.empty() || written.front() == '{' || std::filesystem::path(written).is_absolute()) return written;
  return (t.base_dir() / written).lexically_normal().string();
}

sut::ReadyCondition ready_key(const LinkTable& t) {
  sut::ReadyCondition ready;
  const toml::node* node = t.table() != nullptr ? t.table()->get("ready") : nullptr;
  if (node == nullptr) return ready;
  const toml::table* table = node->as_table();
  if (table == nullptr || table->size() != 1) {
    t.fail("ready", "expected one of { file = \"PATH\" }, { port = N }, { stdout = \"REGEX\" }");
  }
  for (const auto& [key, value] : *table) {  // exactly one entry
    if (key.str() == "file" && value.is_string()) {
      ready.kind = sut::ReadyCondition::Kind::file;
      ready.file = rig_path(t, *value.value<std::string>());
    } else if (key.str() == "port" && value.is_integer()) {
      const std::int64_t port = *value.value<std::int64_t>();
      if (port < 1 || port > 65535) t.fail("ready", "port must be 1..65535");
      ready.kind = sut::ReadyCondition::Kind::port;
      ready.port = static_cast<std::uint16_t>(port);
    } else if (key.str() == "stdout" && value.is_string()) {
      ready.kind = sut::ReadyCondition::Kind::stdout_match;
      ready.stdout_pattern = *value.value<std::string>();
    } else {
      t.fail("ready", "unknown ready condition '" + std::string(key.str()) +
                          "' (expected file = \"PATH\", port = N or stdout = \"REGEX\")");
    }
  }
  return ready;
}

}  // namespace

SutSettings parse_sut_table(const LinkTable& t, bool launched) {
  SutSettings s;
  s.where = t.where();
  s.launch.where = s.where;
  const toml::node* external = t.table() != nullptr ? t.table()->get("external") : nullptr;
  if (external != nullptr && !external->is_boolean()) t.fail("external", "expected true or false");
  s.external = external != nullptr && *external->value<bool>();
  if (launched && s.external) t.fail("external", "external = true with kind \"launched\": an external SUT is not started");
  if (!launched && !s.external) {
    t.fail("external", "kind \"external\" needs external = true (a SUT the harness starts is kind \"launched\")");
  }
  s.consume_deadline = std::chrono::milliseconds(t.integer("consume_deadline_ms", 10'000, 1, 3'600'000));
  s.journal = rig_path(t, t.string("journal"));
  if (const toml::node* requests = t.table() != nullptr ? t.table()->get("requests") : nullptr) {
    if (!requests->is_boolean()) t.fail("requests", "expected true or false");
    s.requests = *requests->value<bool>();
  }
  if (!launched) return s;

  const toml::node* command = t.table() != nullptr ? t.table()->get("command") : nullptr;
  if (command == nullptr) throw Error(ErrorCode::config, "missing key 'command' (the SUT's argv, a list of strings)", t.where());
  const toml::array* argv = command->as_array();
  if (argv == nullptr || argv->empty()) t.fail("command", "expected a non-empty list of strings");
  for (const toml::node& arg : *argv) {
    if (!arg.is_string()) t.fail("command", "expected a non-empty list of strings");
    s.launch.command.push_back(*arg.value<std::string>());
  }
  // A program named by a relative path with a '/' is the rig's, like every path in a rig.
  if (s.launch.command.front().find('/') != std::string::npos) {
    s.launch.command.front() = rig_path(t, s.launch.command.front());
  }
  if (const toml::node* env = t.table()->get("env")) {
    const toml::table* vars = env->as_table();
    if (vars == nullptr) t.fail("env", "expected a table of NAME = \"value\"");
    for (const auto& [name, value] : *vars) {
      if (!value.is_string()) t.fail("env", "the value of " + std::string(name.str()) + " must be a string");
      s.launch.env.emplace_back(std::string(name.str()), *value.value<std::string>());
    }
  }
  s.launch.cwd = rig_path(t, t.string("cwd"));
  s.launch.ready = ready_key(t);
  s.launch.ready_timeout = seconds_key(t, "ready_timeout", s.launch.ready_timeout);
  s.launch.stop_timeout = seconds_key(t, "stop_timeout", s.launch.stop_timeout);
  return s;
}

}  // namespace onshi::links
