#pragma once
// The receipt computer's reception steps (docs/card-receptions.md): the harness
// plays the patient at the terminal under test and then reads what the terminal wrote. Per
// reception, phase `reception.<name>`: writes what the patient enters at the panel (the touch
// panel file, onshi/terminal/touch_panel.hpp), places the patient's fresh virtual card in the
// reader exported to the terminal, waits for a new face/ file within the deadline, judges it as
// a strict receipt computer reads it (answer_check.hpp) and matches it to the reception it drove
// — the patient (name, birth date), the validity, each consent chosen at the panel, and the
// identity path the card itself saw — each mismatch a named failure, then takes the file up
// (into the archive) and takes the card back. The take-up time (card placed to face/ file) is
// the measurement `face_ms`.
#include <filesystem>
#include <functional>
#include <memory>

#include "onshi/population/population.hpp"
#include "onshi/receipt/card_evidence.hpp"
#include "onshi/receipt/receipt_plan.hpp"
#include "onshi/receipt/reception_session.hpp"
#include "onshi/run/executor.hpp"

namespace onshi::receipt {

// The reader exported to the terminal under test, as the plan's plug "reader_at_terminal".
struct ReaderAtTerminal {
  // Puts the patient's fresh virtual card into the reader; returns it, observed.
  std::function<std::shared_ptr<ObservedCard>(const population::Patient& patient)> place;
  std::function<void()> take;       // the patient takes the card back
  std::filesystem::path panel_file;  // where the patient's panel input goes; empty: not written
};

// Appends one phase per reception to `plan` (after whatever it holds) and binds the plug. The
// session, population, terminal and reader must outlive every run of the plan.
void add_reception_phases(run::Plan& plan, const ReceptionSession& session, const population::Population& population,
                          TerminalUnderTest& terminal, ReaderAtTerminal& reader);

}  // namespace onshi::receipt
