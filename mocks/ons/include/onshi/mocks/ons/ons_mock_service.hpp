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
// Medication / checkup information (profile paths medication, checkup; YZK/TKK requests):
//   answered only when the patient gave that consent in a card inquiry from the same
//   facility less than 24 h ago (consent_validity, by the injected clock): else 403
//   HIL0430 (none on record) / HIL0431 (lapsed); 404 HIL0440 no such qualification, 409
//   HIL0441 several. Data are synthetic and deterministic per patient.
// Bulk inquiries (bulk_submit → ReceptionNumber, SegmentOfResult 2; bulk_fetch → 2 until
//   bulk_ready_after has passed, then the counted result); unknown numbers → 404 HIL0450.
// Bulk 照会番号 registration (reference_submit → ReceptionNumber, SegmentOfResult 2;
//   reference_fetch → 2 until bulk_ready_after, then one result per person: registered when
//   the card data name one qualification on record, else HIL0420 / HIL0440 / HIL0441 for that
//   person); unknown numbers → 404 HIL0450. The registered 照会番号 are kept per facility.
// Login (profile path login, JSON credentials over mTLS) → a random token; with
//   login_required, every other endpoint wants it in Authorization, else 401 HIL0401.
// Every endpoint but login speaks XML (UTF-8 or Shift_JIS, answered in the same encoding)
//   or JSON (Content-Type application/json), see onshi/ons/wire_format.hpp; element names
//   and paths come from the interface profile.
// Injected faults that answer (fault_plan.hpp) are shaped here too: fault_response().
#include <cstddef>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "onshi/core/clock.hpp"
#include "onshi/crypto/certificate.hpp"
#include "onshi/population/population.hpp"
#include "onshi/mocks/ons/async_jobs.hpp"
#include "onshi/mocks/ons/enrolments.hpp"
#include "onshi/mocks/ons/fault_plan.hpp"
#include "onshi/ons/bulk_inquiry.hpp"
#include "onshi/ons/information_request.hpp"
#include "onshi/ons/interface_profile.hpp"
#include "onshi/ons/qualification_result.hpp"
#include "onshi/ons/reference_number_registration.hpp"
#include "onshi/ons/search_inquiry.hpp"
#include "onshi/ons/wire_profile.hpp"
#include "onshi/tls/http_message.hpp"

namespace onshi::mocks::ons {

namespace support {
struct Echo;  // service_support.hpp: what an answer's header echoes
}  // namespace support

struct MockRequest {
  std::string method;
  std::string target;
  std::string content_type;
  std::string body;
  std::optional<crypto::Certificate> terminal_certificate;  // verified by TLS
  // Its serialNumber (the facility code), when the server already read it for the connection;
  // empty: handle() reads it from terminal_certificate.
  std::string terminal_facility{};
  std::string authorization{};                               // the Authorization header, if any
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
  population::Population population;
  Enrolments enrolments;
  crypto::Certificate jpki_ca;
  const Clock* clock = &SystemClock::instance();
  std::size_t max_xml_bytes = std::size_t{1} << 20;
  bool reject_replayed_challenges = true;
  std::size_t replay_window = 65536;  // challenges remembered
  onshi::ons::InterfaceProfile profile = onshi::ons::default_interface_profile();
  std::chrono::seconds consent_validity{24 * 3600};  // docs/domain/reception-flow.md
  std::chrono::milliseconds bulk_ready_after{2000};  // 処理中 until then
  std::size_t bulk_max_items = 1000;                 // per OQSmuquc01req
  std::size_t bulk_jobs_kept = 10'000;               // oldest dropped
  bool login_required = false;                       // off: clients without login keep working
  std::string login_id = "onshi-terminal";
  std::string login_password = "onshi-test-password";  // synthetic; the mock guards nothing real
  std::chrono::seconds token_lifetime{3600};
};

class OnsMockService {
 public:
  // Checks every patient record converts and every enrolment names a patient; throws
  // Error(config) otherwise, so a bad fixture fails at start-up, not mid-request.
  explicit OnsMockService(OnsMockServiceConfig config);

  MockResponse handle(MockRequest request) const;

  // The answer an injected fault gives instead of handle()'s: http_error → text/plain with
  // rule.status; ons_error → an XML error result with the rule's code and message;
  // maintenance → 503 HIL0503 + Retry-After; throttle → 429 HIL0429 + Retry-After;
  // processing → 200 with SegmentOfResult 2 (処理中) and no result list.
  MockResponse fault_response(const MockRequest& request, const FaultRule& rule) const;

  // The 照会番号 registered for `patient_id` by `facility` (bulk registration), if any.
  std::optional<std::string> reference_number_of(const std::string& facility, const std::string& patient_id) const;

 private:
  // A canonical (UTF-8 XML) answer in the request's wire format and this profile's names.
  MockResponse to_wire(MockResponse response, const onshi::ons::WireFormat& format, const support::Echo& echo,
                       onshi::ons::ReferenceClassification reference, WallTime now) const;
  MockResponse injected_answer(const FaultRule& rule, const support::Echo& echo,
                               onshi::ons::ReferenceClassification reference, WallTime now) const;
  MockResponse card_inquiry(const MockRequest& request, const std::string& facility) const;
  MockResponse search_inquiry(const MockRequest& request, const std::string& facility) const;
  MockResponse information_request(const MockRequest& request, const std::string& facility,
                                   onshi::ons::InformationKind kind) const;
  MockResponse bulk_submit(const MockRequest& request, const std::string& facility) const;
  MockResponse bulk_fetch(const MockRequest& request, const std::string& facility) const;
  MockResponse reference_submit(const MockRequest& request, const std::string& facility) const;
  MockResponse reference_fetch(const MockRequest& request, const std::string& facility) const;
  MockResponse login(const MockRequest& request, const std::string& facility) const;
  bool token_valid(const std::string& authorization, const std::string& facility) const;
  bool remember_challenge(const std::string& challenge) const;
  // On-record qualifications matching the card data; empty symbol/branch match any.
  std::vector<const population::Patient*> find_qualifications(const std::string& insurer_number,
                                                            const std::optional<std::string>& symbol,
                                                            const std::string& number,
                                                            const std::optional<std::string>& branch,
                                                            const std::optional<std::string>& birthdate) const;
  void remember_consent(const std::string& facility, const std::string& patient_id, onshi::ons::InformationKind kind,
                        const std::optional<onshi::ons::ConsentFlag>& flag, WallTime now) const;
  std::optional<WallTime> consent_time(const std::string& facility, const std::string& patient_id,
                                       onshi::ons::InformationKind kind) const;

  struct LoginToken {
    std::string facility;
    WallTime expires_at;
  };

  // The population's answers, worked out once: each patient's record (by position in
  // config_.population.patients) and an index of the on-record ones by card data.
  const onshi::ons::QualificationRecord& record_of(const population::Patient& patient) const;
  onshi::ons::QualificationValidity validity_of(const population::Patient& patient) const;

  OnsMockServiceConfig config_;
  std::vector<onshi::ons::QualificationRecord> records_;
  std::vector<onshi::ons::QualificationValidity> validities_;
  std::unordered_multimap<std::string, std::size_t> by_card_;  // normalised insurer "|" insured number
  mutable std::mutex replay_mutex_;
  mutable std::unordered_set<std::string> seen_challenges_;
  mutable std::deque<std::string> challenge_order_;
  mutable std::mutex consent_mutex_;
  mutable std::map<std::string, WallTime> consents_;  // "facility|patient|kind" → ConsTime
  // A new ReceptionNumber (the JST time and a serial); the caller holds bulk_mutex_.
  std::string next_reception_number(WallTime now) const;

  mutable std::mutex bulk_mutex_;  // guards the three below and reference_numbers_
  mutable std::uint64_t bulk_serial_ = 0;
  mutable AsyncJobs<onshi::ons::BulkResult> bulk_jobs_;
  mutable AsyncJobs<onshi::ons::ReferenceNumberResult> reference_jobs_;
  mutable std::map<std::string, std::string> reference_numbers_;  // "facility|patient" → 照会番号, under bulk_mutex_
  mutable std::mutex token_mutex_;
  mutable std::map<std::string, LoginToken> tokens_;  // by idToken
};

}  // namespace onshi::mocks::ons
