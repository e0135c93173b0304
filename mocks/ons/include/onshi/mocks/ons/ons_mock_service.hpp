#pragma once
// The mock ONS's behaviour, independent of sockets: one HTTP request in (with the terminal
// certificate the TLS layer verified), one HTTP response out. Thread-safe.
//
// POST /onshi/v1/qualification/card (onshi-hil card profile 1, see onshi/ons/card_inquiry.hpp):
//   404 unknown path, 405 other method, 415 not application/xml,
//   400 undecodable request                      → XML error result (HIL0400),
//   403 MedicalInstitutionCode ≠ terminal cert    → HIL0403,
//   403 user-auth cert not from the JPKI CA       → HIL0410, outside validity → HIL0411,
//   403 challenge signature does not verify       → HIL0412, challenge reused → HIL0413,
//   200 enrolled certificate → the patient's record, QualificationValidity from the record,
//       consents echoed with ConsTime = now (JST), AvailableTime = +24 h;
//   200 valid but unenrolled certificate → ProcessingResultStatus 1, QualificationValidity 4
//       (該当資格なし), no ResultList: the card proved itself, ONS just has no linked
//       qualification (利用登録 missing), which is an answer, not a protocol error.
// Error results: SegmentOfResult 9, ProcessingResultStatus 2, MessageHeader ErrorCode/ErrorMessage.
// POST /onshi/v1/qualification/search (QualificationConfirmSearchInfo): matches the population
//   on insurer number, identification number, birth date (symbol/branch when given);
//   0 matches → validity 4, 1 → its record, several → 5 with all of them; an InsurerNumber
//   whose 検証番号 is wrong → 400 HIL0420.
// Injected faults that answer (fault_plan.hpp) are shaped here too: fault_response().
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "onshi/core/clock.hpp"
#include "onshi/crypto/certificate.hpp"
#include "onshi/fixtures/population.hpp"
#include "onshi/mocks/ons/enrolments.hpp"
#include "onshi/mocks/ons/fault_plan.hpp"
#include "onshi/ons/qualification_result.hpp"
#include "onshi/ons/wire_profile.hpp"
#include "onshi/tls/http_message.hpp"

namespace onshi::mocks::ons {

struct MockRequest {
  std::string method;
  std::string target;
  std::string content_type;
  std::string body;
  std::optional<crypto::Certificate> terminal_certificate;  // verified by TLS
};

// What happened, for the log line and counters.
struct MockOutcome {
  std::optional<onshi::ons::ProfileError> error;
  std::string user_certificate_serial;
  std::string patient_id;
  std::optional<onshi::ons::QualificationValidity> validity;
  std::string refusal;                // who-may-ask refusal at this layer ("facility_mismatch")
  std::vector<std::string> consents;  // "PharmacistsInfo=consented", ... (journal)
};

struct MockResponse {
  unsigned status = 200;
  std::string content_type;
  tls::HttpHeaders headers;  // extra headers (Allow)
  std::string body;
  MockOutcome outcome;
};

struct OnsMockServiceConfig {
  fixtures::Population population;
  Enrolments enrolments;
  crypto::Certificate jpki_ca;
  const Clock* clock = &SystemClock::instance();
  std::size_t max_xml_bytes = std::size_t{1} << 20;
  bool reject_replayed_challenges = true;
  std::size_t replay_window = 65536;  // challenges remembered
};

class OnsMockService {
 public:
  // Checks every patient record converts and every enrolment names a patient; throws
  // Error(config) otherwise, so a bad fixture fails at start-up, not mid-request.
  explicit OnsMockService(OnsMockServiceConfig config);

  MockResponse handle(const MockRequest& request) const;

  // The answer an injected fault gives instead of handle()'s: http_error → text/plain with
  // rule.status; ons_error → an XML error result with the rule's code and message;
  // maintenance → 503 HIL0503 + Retry-After; throttle → 429 HIL0429 + Retry-After;
  // processing → 200 with SegmentOfResult 2 (処理中) and no result list.
  MockResponse fault_response(const MockRequest& request, const FaultRule& rule) const;

 private:
  MockResponse card_inquiry(const MockRequest& request, const std::string& facility) const;
  MockResponse search_inquiry(const MockRequest& request, const std::string& facility) const;
  bool remember_challenge(const std::string& challenge) const;

  OnsMockServiceConfig config_;
  mutable std::mutex replay_mutex_;
  mutable std::unordered_set<std::string> seen_challenges_;
  mutable std::deque<std::string> challenge_order_;
};

}  // namespace onshi::mocks::ons
