#pragma once
// The harness as the receipt computer for a terminal under test (docs/receipt-computer.md), as a
// plan on the run executor: one phase per request of the session, `receipt.<name>`, which
// writes the request file into the terminal's req/ (write-then-rename), waits for res/ with the
// session's deadline, judges the answer (answer_check.hpp) and takes it up (moves it to the
// archive, as a receipt computer does). A phase that fails — no answer by the deadline (naming
// the file and the deadline), an answer that is malformed, wrongly encoded or not as expected
// (naming the field), the terminal ended, req/ not writable — does not stop the run: the next
// request is still asked.
#include <chrono>
#include <filesystem>
#include <string>

#include "onshi/core/clock.hpp"
#include "onshi/population/population.hpp"
#include "onshi/receipt/answer_wait.hpp"
#include "onshi/receipt/receipt_session.hpp"
#include "onshi/run/executor.hpp"

namespace onshi::receipt {

// The terminal under test as the plan's plug "terminal": its folders, and whether it still runs.
struct TerminalUnderTest {
  std::filesystem::path root;     // holds its req/ res/ (and face/)
  std::filesystem::path archive;  // where taken-up answers go; empty: <root>/receipt-archive
  std::string facility_code;      // the facility the requests are for
  std::chrono::milliseconds settle{200};  // an answer not renamed into res/ is read once unchanged this long
  SutEnded ended;                 // empty: an external terminal, nobody knows when it ends
};

// The plan; `session`, `population` and `terminal` must outlive every run of it.
run::Plan receipt_plan(const ReceiptSession& session, const population::Population& population,
                       TerminalUnderTest& terminal);

}  // namespace onshi::receipt
