#pragma once
// What the patient enters at the terminal for the next card placed (docs/card-receptions.md,
// "The panel file"): a real terminal gets the PIN from its PIN pad and the identity path and
// consents from its touch panel; `onshi-hil terminal --panel FILE` reads them from FILE, a TOML
// file whoever plays the patient writes before placing the card (the harness as receipt
// computer does, see docs/card-receptions.md). Read afresh at each placement.
//   scenario = "pin-ok"        # the catalogue scenario whose identity path and consents the patient chooses
//   pins = ["1234"]            # what the patient types on the PIN pad, in order; never logged
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace onshi::terminal {

struct PanelInput {
  std::string scenario;                    // empty: the terminal's default
  std::optional<std::vector<std::string>> pins;  // unset: the scenario's entries for its patient's card
};

// nullopt when the file does not exist (nobody touched the panel). Error(config) naming
// FILE:LINE and the key for anything else it does not understand.
std::optional<PanelInput> read_panel_file(const std::filesystem::path& file);

// The file's text for `input`, as the patient's side writes it.
std::string panel_file_text(const PanelInput& input);

}  // namespace onshi::terminal
