#include "onshi/terminal/touch_panel.hpp"

#include <system_error>

#include "onshi/config/toml_reader.hpp"

namespace onshi::terminal {
namespace {

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::optional<PanelInput> read_panel_file(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::nullopt;
  const config::TomlReader r(file);
  const toml::table& root = r.root();
  r.only_keys(root, {"scenario", "pins"});
  PanelInput input;
  input.scenario = r.optional_string(root, "scenario");
  if (root.contains("pins")) input.pins = r.optional_string_array(root, "pins");
  return input;
}

std::string panel_file_text(const PanelInput& input) {
  std::string text = "# what the patient enters at the terminal (docs/terminal.md, \"The touch panel file\")\n";
  if (!input.scenario.empty()) text += "scenario = " + quoted(input.scenario) + "\n";
  if (input.pins) {
    text += "pins = [";
    for (std::size_t i = 0; i < input.pins->size(); ++i) text += (i ? ", " : "") + quoted((*input.pins)[i]);
    text += "]\n";
  }
  return text;
}

}  // namespace onshi::terminal
