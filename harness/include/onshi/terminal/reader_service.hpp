#pragma once
// The terminal's reader, beside its req/ service (docs/card-receptions.md): when a
// card is placed it runs one reception (the caller's — the reception flow, wired by the CLI,
// since this layer does not know the flow), journals how it ended ("reception": the face/ file,
// or the failed step and its reason), and waits for the card to be taken before it serves the
// next one. A reception that throws, or a reader that cannot be asked, is journalled and the
// service keeps serving.
#include <functional>
#include <string>

#include "onshi/core/clock.hpp"
#include "onshi/reader/card_reader.hpp"
#include "onshi/terminal/terminal_journal.hpp"

namespace onshi::terminal {

// How one reception at the reader ended.
struct ReceptionOutcome {
  std::string face_file;    // "face/NAME" when a result was delivered
  std::string failed_step;  // set when a step failed or could not run
  std::string reason;       // that step's reason
  std::string identity_method;  // "pin", "face", "visual", "pin-after-face-miss", when known
};

class ReaderService {
 public:
  using Reception = std::function<ReceptionOutcome()>;
  ReaderService(reader::CardReader& reader, Reception reception, TerminalJournal& journal,
                const Clock& clock = SystemClock::instance());

  // One look at the reader: runs a reception when a card has been placed since the last one.
  // Returns whether one ran.
  bool serve_ready();
  unsigned receptions() const { return receptions_; }

 private:
  void journal_reader_error(const std::string& reason);

  reader::CardReader& reader_;
  Reception reception_;
  TerminalJournal& journal_;
  const Clock& clock_;
  bool awaiting_removal_ = false;  // the card of the last reception is still in the slot
  unsigned receptions_ = 0;
  std::string last_reader_error_;  // journalled once, not at every poll
};

}  // namespace onshi::terminal
