#include "onshi/optest/checklist.hpp"

#include <array>
#include <cctype>
#include <chrono>
#include <set>
#include <utility>

#include "onshi/config/data_paths.hpp"
#include "onshi/config/toml_reader.hpp"
#include "onshi/core/error.hpp"
#include "onshi/load/threshold.hpp"
#include "onshi/optest/hot_plug.hpp"

namespace onshi::optest {
namespace {

constexpr std::array<std::pair<CheckKind, std::string_view>, 10> kKinds{{
    {CheckKind::doctor, "doctor"},
    {CheckKind::tcp_connect, "tcp-connect"},
    {CheckKind::tls_handshake, "tls-handshake"},
    {CheckKind::search_inquiry, "search-inquiry"},
    {CheckKind::reception, "reception"},
    {CheckKind::receipt_computer_link, "receipt-computer-link"},
    {CheckKind::information_viewing, "information-viewing"},
    {CheckKind::load_smoke, "load-smoke"},
    {CheckKind::confirmation, "confirmation"},
    {CheckKind::hot_plug, "hot-plug"},
}};

constexpr std::array<std::string_view, 6> kPhases{"preflight", "connectivity", "receptions", "receipt-computer",
                                                 "information-viewing", "load"};

// The reception flow's steps (docs/architecture.md, "Run executor"): the keys a budget may name.
constexpr std::array<std::string_view, 6> kSteps{"card_detect", "read_certificate", "identity_check",
                                                "consent", "qualification_lookup", "deliver_result"};

template <std::size_t N>
std::string listed(const std::array<std::string_view, N>& names) {
  std::string out;
  for (const auto name : names) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

const toml::node& node_of(const toml::table& t, std::string_view key) { return *t.get(key); }

CheckKind kind_named(const config::TomlReader& r, const toml::table& t, const std::string& text) {
  for (const auto& [kind, name] : kKinds) {
    if (name == text) return kind;
  }
  std::string known;
  for (const auto& entry : kKinds) known += (known.empty() ? "" : ", ") + std::string(entry.second);
  r.fail(node_of(t, "kind"), "kind", "unknown check kind '" + text + "' (known: " + known + ")");
}

double positive_ms(const config::TomlReader& r, const toml::table& t, std::string_view key, const toml::node& node) {
  const auto value = node.value<double>();
  if (!value || *value <= 0) r.fail(node, key, "expected a positive number of milliseconds");
  (void)t;
  return *value;
}

// [check.prompt]: text, answers (each its own first letter, the key a person presses), timeout_s,
// when = "physical" (the harness answers on an emulated rig) | "always", sets.
Prompt read_prompt(const config::TomlReader& r, const toml::table& t, const std::string& check_name, bool& sets_decision) {
  r.only_keys(t, {"text", "answers", "timeout_s", "when", "sets"});
  Prompt prompt;
  prompt.id = check_name;
  prompt.text = r.required_string(t, "text");
  prompt.answers = r.optional_string_array(t, "answers");
  if (prompt.answers.empty()) prompt.answers = {"done"};
  std::set<char> keys;
  for (const std::string& a : prompt.answers) {
    const char key = a.empty() ? '\0' : static_cast<char>(std::tolower(static_cast<unsigned char>(a[0])));
    if (!std::isalnum(static_cast<unsigned char>(key)) || !keys.insert(key).second) {
      r.fail(*t.get("answers"), "answers", "each answer must start with its own letter or digit (the key a person presses)");
    }
  }
  const std::int64_t timeout_s = r.optional_int(t, "timeout_s", 60);
  if (timeout_s < 1 || timeout_s > 3600) r.fail(*t.get("timeout_s"), "timeout_s", "expected 1 to 3600 seconds");
  prompt.timeout = std::chrono::seconds(timeout_s);
  const std::string when = r.optional_string(t, "when", "physical");
  if (when != "physical" && when != "always") r.fail(*t.get("when"), "when", "expected \"physical\" or \"always\"");
  prompt.physical_act = when == "physical";
  const std::string sets = r.optional_string(t, "sets");
  if (!sets.empty() && sets != "operator_decision") r.fail(*t.get("sets"), "sets", "only \"operator_decision\" can be set");
  sets_decision = !sets.empty();
  return prompt;
}

CheckSpec read_check(const config::TomlReader& r, const toml::table& t) {
  r.only_keys(t, {"name", "phase", "kind", "description", "required", "scenario", "patient", "limit_ms", "budgets_ms",
                  "prompt", "rate_per_s", "duration_s", "readers", "thresholds"});
  CheckSpec check;
  check.line = static_cast<int>(t.source().begin.line);
  check.name = r.required_string(t, "name");
  if (check.name.empty()) r.fail(node_of(t, "name"), "name", "empty check name");
  check.phase = r.required_string(t, "phase");
  bool known_phase = false;
  for (const auto phase : kPhases) known_phase = known_phase || phase == check.phase;
  if (!known_phase) {
    r.fail(node_of(t, "phase"), "phase", "unknown phase '" + check.phase + "' (known: " + listed(kPhases) + ")");
  }
  check.kind = kind_named(r, t, r.required_string(t, "kind"));
  check.description = r.optional_string(t, "description");
  check.required = r.optional_bool(t, "required", true);
  check.scenario = r.optional_string(t, "scenario");
  check.patient = r.optional_string(t, "patient", "P001");
  if (const toml::node* limit = t.get("limit_ms")) check.limit_ms = positive_ms(r, t, "limit_ms", *limit);
  if (const toml::table* budgets = r.optional_table(t, "budgets_ms")) {
    for (const auto& [key, value] : *budgets) {
      const std::string step(key.str());
      bool known_step = false;
      for (const auto s : kSteps) known_step = known_step || s == step;
      if (!known_step) r.fail(value, "budgets_ms." + step, "not a reception step (known: " + listed(kSteps) + ")");
      check.budgets_ms[step] = positive_ms(r, *budgets, step, value);
    }
  }
  if (const toml::table* prompt = r.optional_table(t, "prompt")) {
    check.prompt = read_prompt(r, *prompt, check.name, check.prompt_sets_operator_decision);
    if (check.prompt_sets_operator_decision && check.kind != CheckKind::reception) {
      r.fail(*prompt->get("sets"), "prompt.sets", "only a reception check takes the staff's decision");
    }
  }
  const bool load_keys = t.contains("rate_per_s") || t.contains("duration_s") || t.contains("readers") || t.contains("thresholds");
  if (load_keys && check.kind != CheckKind::load_smoke) {
    throw Error(ErrorCode::config, "rate_per_s, duration_s, readers and thresholds are for a load-smoke check only", r.where(t));
  }
  if (check.kind == CheckKind::load_smoke) {
    check.load_rate_per_s = r.optional_double(t, "rate_per_s", check.load_rate_per_s);
    if (check.load_rate_per_s <= 0 || check.load_rate_per_s > 100) r.fail(*t.get("rate_per_s"), "rate_per_s", "expected 0 < rate <= 100 arrivals/s (a smoke run)");
    check.load_duration_s = r.optional_double(t, "duration_s", check.load_duration_s);
    if (check.load_duration_s <= 0 || check.load_duration_s > 60) r.fail(*t.get("duration_s"), "duration_s", "expected 0 < duration <= 60 s (a smoke run)");
    const std::int64_t readers = r.optional_int(t, "readers", static_cast<std::int64_t>(check.load_readers));
    if (readers < 1 || readers > 8) r.fail(*t.get("readers"), "readers", "expected 1 to 8 readers");
    check.load_readers = static_cast<std::size_t>(readers);
    check.load_thresholds = r.optional_string_array(t, "thresholds");
    for (const std::string& expr : check.load_thresholds) {
      try {
        (void)load::parse_threshold(expr);
      } catch (const Error& e) {
        r.fail(*t.get("thresholds"), "thresholds", e.what());
      }
    }
  }
  if (check.kind == CheckKind::confirmation && !check.prompt) {
    throw Error(ErrorCode::config, "a confirmation check needs [check.prompt] (what the person confirms)", r.where(t));
  }
  if (check.kind == CheckKind::reception && check.scenario.empty()) {
    throw Error(ErrorCode::config, "a reception check needs 'scenario' (a catalogue scenario's name)", r.where(t));
  }
  const bool runs_scenario = check.kind == CheckKind::reception || check.kind == CheckKind::hot_plug ||
                             check.kind == CheckKind::information_viewing;
  if (!runs_scenario && !check.scenario.empty()) {
    r.fail(node_of(t, "scenario"), "scenario", "only a reception, hot-plug or information-viewing check runs a scenario");
  }
  // The patient's reception at the reader (onshi/optest/information_viewing.hpp).
  if (check.kind == CheckKind::information_viewing && check.scenario.empty()) check.scenario = "pin-ok";
  if (check.kind == CheckKind::hot_plug) {
    // The reception that shows the reader works again once plugged back (onshi/optest/hot_plug.hpp).
    if (check.scenario.empty()) check.scenario = "pin-ok";
    if (!check.prompt) check.prompt = default_hot_plug_prompt(check.name);
  }
  return check;
}

Checklist read_checklist(const config::TomlReader& r, std::filesystem::path source) {
  const toml::table& root = r.root();
  r.only_keys(root, {"schema", "name", "description", "check"});
  if (const std::string schema = r.required_string(root, "schema"); schema != kChecklistSchema) {
    r.fail(node_of(root, "schema"), "schema", "expected \"" + std::string(kChecklistSchema) + "\", got \"" + schema + "\"");
  }
  Checklist checklist;
  checklist.source = std::move(source);
  checklist.name = r.required_string(root, "name");
  checklist.description = r.optional_string(root, "description");
  std::set<std::string> names;
  for (const toml::table& t : r.array_of_tables(root, "check")) {
    CheckSpec check = read_check(r, t);
    if (!names.insert(check.name).second) r.fail(node_of(t, "name"), "name", "duplicate check name '" + check.name + "'");
    checklist.checks.push_back(std::move(check));
  }
  if (checklist.checks.empty()) throw Error(ErrorCode::config, "the checklist has no [[check]]", r.where(root));
  return checklist;
}

}  // namespace

std::string_view to_string(CheckKind kind) {
  for (const auto& [k, name] : kKinds) {
    if (k == kind) return name;
  }
  return "unknown";
}

Checklist load_checklist(const std::filesystem::path& file) {
  const config::TomlReader reader(file);
  return read_checklist(reader, file);
}

Checklist parse_checklist(std::string_view text, const std::string& name) {
  const config::TomlReader reader(text, name);
  return read_checklist(reader, name);
}

std::filesystem::path default_checklist_file() { return config::fixtures_dir() / "optest" / "checklist.toml"; }

}  // namespace onshi::optest
