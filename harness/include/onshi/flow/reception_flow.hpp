#pragma once
// The reception flow as run at a clinic's reader (docs/domain/reception-flow.md), step by step:
//   card_detect -> read_certificate -> identity_check -> consent -> qualification_lookup -> deliver_result
// Each step is a phase on the run executor (onshi/run/executor.hpp): timed on the monotonic
// clock, passed or failed with a reason and typed measurements; once a step fails the rest
// are recorded as skipped. The flow binds plugs ("reader", "ons", "results"; the clock drives
// the executor) and never knows which backend sits behind them.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "onshi/core/clock.hpp"
#include "onshi/crypto/certificate.hpp"
#include "onshi/crypto/private_key.hpp"
#include "onshi/flow/qualification_client.hpp"
#include "onshi/flow/result_folder.hpp"
#include "onshi/flow/run_record.hpp"
#include "onshi/flow/scenario.hpp"
#include "onshi/reader/card_reader.hpp"
#include "onshi/run/event_sink.hpp"

namespace onshi::flow {

inline constexpr const char* step_names[] = {"card_detect",  "read_certificate",     "identity_check",
                                             "consent",      "qualification_lookup", "deliver_result"};

struct FlowPlugs {
  reader::CardReader& reader;
  QualificationClient& ons;
  ResultFolder& results;
  const Clock& clock = SystemClock::instance();
};

// One reception to run: the scenario with its PIN entries resolved to what the patient types.
// The face reader's 特定機関認証 credential: lets the card's user-authentication key sign
// without the PIN after a face match or 目視確認 (see mocks/card/README.md).
struct TerminalCredential {
  crypto::Certificate certificate;
  crypto::PrivateKey key;
};

struct Reception {
  std::string rig;
  Scenario scenario;
  std::vector<std::string> pins;  // resolved; never logged or recorded
  std::string facility_code;
  // What the face reader OCRs off the card front (照合番号B, 14 digits); never logged.
  std::string collation_number_b;
  std::optional<TerminalCredential> terminal;
  // Optional per-step limits on the step's duration_ms measurement; a step over budget fails.
  std::map<std::string, Duration, std::less<>> step_budgets;
  // The card guard (docs/optest.md, "Physical test cards"): the CN the card's user-authentication
  // certificate must carry (the scenario patient's card); another card stops the reception before
  // any PIN is sent. Empty: not checked.
  std::string expected_card_id;
  // A card that cannot be replaced (a physical test card): its last PIN try is spent only when
  // the scenario means to lock the PIN *and* confirm_last_pin_try (an operator prompt) agrees.
  bool precious_card = false;
  std::function<bool(const std::string& question)> confirm_last_pin_try;
};

class ReceptionFlow {
 public:
  explicit ReceptionFlow(FlowPlugs plugs) : plugs_(plugs) {}
  // Runs the six steps; events, when given, see the run as it happens (reporters, displays).
  RunRecord run(const Reception& reception, run::EventSink* events = nullptr);
  RunRecord run(const Reception& reception, run::EventSink& events) { return run(reception, &events); }

 private:
  FlowPlugs plugs_;
};

}  // namespace onshi::flow
