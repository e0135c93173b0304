#include "onshi/flow/reception_flow.hpp"

#include <cstdio>
#include <functional>
#include <optional>

#include "onshi/core/error.hpp"
#include "onshi/crypto/certificate.hpp"
#include "onshi/iso7816/status_word.hpp"
#include "onshi/flow/face_match.hpp"
#include "onshi/jpki/application_ids.hpp"
#include "onshi/jpki/card_info.hpp"
#include "onshi/jpki/jpki_client.hpp"
#include "onshi/ons/codes.hpp"
#include "onshi/ons/xml_codec.hpp"

namespace onshi::flow {
namespace {

// What one step hands to the next.
struct FlowState {
  std::optional<crypto::Certificate> auth_certificate;
  Bytes challenge;
  Bytes challenge_signature;
  ons::ConsentChoices consents;
  std::optional<ons::QualificationResult> result;
  std::string result_xml;
  bool card_connected = false;
};

// A step's failure: the reason goes into the record as is.
struct StepFailure {
  std::string reason;
};

using StepBody = std::function<void(FlowState&, StepResult&)>;

std::string yes_no(bool b) { return b ? "yes" : "no"; }

ons::ConsentFlag flag(bool consented) {
  return consented ? ons::ConsentFlag::consented : ons::ConsentFlag::not_consented;
}

constexpr auto consent_validity = std::chrono::hours(24);

// The PIN path: what the patient types, in order, until one verifies or the PIN blocks.
void verify_pin_entries(jpki::JpkiClient& card, const Reception& reception, StepResult& r) {
  if (const auto tries = card.auth_pin_tries_left()) r.details.emplace_back("tries_left_before", std::to_string(*tries));
  if (reception.pins.empty()) throw StepFailure{"the scenario enters no PIN"};
  unsigned attempts = 0;
  for (const std::string& pin : reception.pins) {
    ++attempts;
    const jpki::PinVerification v = card.verify_auth_pin(pin);
    if (v.verified()) {
      r.details.emplace_back("pin_attempts", std::to_string(attempts));
      return;
    }
    if (v.outcome == jpki::PinVerification::Outcome::blocked) {
      r.details.emplace_back("pin_attempts", std::to_string(attempts));
      throw StepFailure{"user-authentication PIN is blocked (card answered " + iso7816::sw::describe(v.status_word) +
                        ")"};
    }
    if (v.tries_left == 0) {
      r.details.emplace_back("pin_attempts", std::to_string(attempts));
      throw StepFailure{"wrong PIN on attempt " + std::to_string(attempts) +
                        ", no tries left: the user-authentication PIN is now blocked"};
    }
  }
  r.details.emplace_back("pin_attempts", std::to_string(attempts));
  throw StepFailure{"wrong PIN on all " + std::to_string(attempts) + " attempts"};
}

// The face path's card part: 照合番号B opens the 券面AP, the face image is read and compared.
bool face_matches(jpki::JpkiClient& card, const Reception& reception, StepResult& r) {
  card.select_application(jpki::aid::card_surface, "券面AP");
  const jpki::PinVerification opened = card.verify_pin(jpki::kenkaku_ef::collation_number_b,
                                                       reception.collation_number_b, jpki::collation_number_b_format);
  if (!opened.verified()) {
    throw StepFailure{"照合番号B did not open the 券面AP (" + iso7816::sw::describe(opened.status_word) + ")"};
  }
  const jpki::CardSurfaceInfo surface = jpki::parse_card_surface(card.read_der_file(jpki::kenkaku_ef::card_surface));
  r.details.emplace_back("face_image_bytes", std::to_string(surface.face_image.size()));
  const IdentityPlan& plan = reception.scenario.identity;
  const FaceMatch match = simulate_face_match(surface.face_image, plan.face_seed, plan.face_threshold);
  char score[32];
  std::snprintf(score, sizeof score, "%.3f/%.3f", match.score, plan.face_threshold);
  r.details.emplace_back("face_score", score);
  r.details.emplace_back("face_match", yes_no(match.matched));
  return match.matched;
}

// 特定機関認証: the reader's terminal credential lets the auth key sign without the PIN.
void authenticate_terminal(jpki::JpkiClient& card, const Reception& reception, StepResult& r) {
  if (!reception.terminal) throw StepFailure{"no terminal credential for 特定機関認証 on this rig"};
  const std::uint16_t answer = card.terminal_authenticate(reception.terminal->certificate, reception.terminal->key);
  r.details.emplace_back("terminal_authentication", iso7816::sw::describe(answer));
  if (answer != iso7816::sw::ok) throw StepFailure{"the card refused the terminal certificate (特定機関認証)"};
}

}  // namespace

RunRecord ReceptionFlow::run(const Reception& reception) {
  const Scenario& scenario = reception.scenario;
  RunRecord record;
  record.rig = reception.rig;
  record.scenario = scenario.name;
  record.patient = scenario.patient;
  record.facility = reception.facility_code;
  record.expected_failed_step = scenario.expect_failed_step;
  record.expected_reason_contains = scenario.expect_reason_contains;
  record.expected_identity_method = scenario.expect_identity_method;
  record.started = plugs_.clock.wall_now();
  const MonotonicTime run_start = plugs_.clock.monotonic_now();

  reader::CardReader& reader = plugs_.reader;
  FlowState state;

  const std::vector<std::pair<const char*, StepBody>> steps = {
      {"card_detect",
       [&](FlowState& s, StepResult& r) {
         if (!reader.wait_for_card(scenario.card_wait)) {
           throw StepFailure{"no card in " + reader.name() + " within " +
                             std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(scenario.card_wait).count()) +
                             " ms"};
         }
         const Bytes atr = reader.connect();
         s.card_connected = true;
         r.details.emplace_back("reader", reader.name());
         r.details.emplace_back("atr", to_hex(atr, " "));
       }},
      {"read_certificate",
       [&](FlowState& s, StepResult& r) {
         jpki::JpkiClient card(reader.channel());
         card.select_jpki_ap();
         s.auth_certificate = card.read_auth_certificate();
         r.details.emplace_back("subject", s.auth_certificate->subject());
         r.details.emplace_back("serial", s.auth_certificate->serial_hex());
         r.details.emplace_back("issuer", s.auth_certificate->issuer());
         const WallTime now = plugs_.clock.wall_now();
         if (now < s.auth_certificate->not_before() || now > s.auth_certificate->not_after()) {
           throw StepFailure{"user-authentication certificate is outside its validity period"};
         }
       }},
      {"identity_check",
       [&](FlowState& s, StepResult& r) {
         jpki::JpkiClient card(reader.channel());
         const IdentityPlan& plan = scenario.identity;
         r.details.emplace_back("path", std::string(to_string(plan.path)));
         std::string method;
         if (plan.path == IdentityPath::face) {
           if (plan.camera_fault) {
             r.details.emplace_back("camera", "fault");
             if (plan.operator_decision.empty()) throw StepFailure{"camera fault and no staff for 目視確認"};
             method = "visual";  // the prescribed fallback when the camera cannot be used
           } else if (face_matches(card, reception, r)) {
             method = "face";
           } else {
             method = "pin-after-face-miss";
           }
         } else if (plan.path == IdentityPath::visual) {
           method = "visual";
         } else {
           method = "pin";
         }
         record.identity_method = method;
         r.details.emplace_back("method", method);
         card.select_jpki_ap();  // the face path left the 券面AP selected
         if (method == "visual") {
           r.details.emplace_back("operator_decision", plan.operator_decision);
           if (plan.operator_decision != "confirmed") throw StepFailure{"目視確認: the staff rejected the identity"};
         }
         if (method == "face" || method == "visual") {
           authenticate_terminal(card, reception, r);
         } else {
           verify_pin_entries(card, reception, r);
         }
         // Proof of possession: the card signs a fresh nonce with the user-authentication key.
         s.challenge = crypto::random_bytes(32);
         s.challenge_signature = card.sign_with_auth_key(crypto::sha256_digest_info(s.challenge));
         if (!s.auth_certificate->verify_sha256_pkcs1(s.challenge, s.challenge_signature)) {
           throw StepFailure{"the card's signature over the challenge does not verify with its certificate"};
         }
         r.details.emplace_back("signature_bytes", std::to_string(s.challenge_signature.size()));
       }},
      {"consent",
       [&](FlowState& s, StepResult& r) {
         const ConsentChoices& c = scenario.consent;
         s.consents.pharmacists_info = flag(c.medication);
         s.consents.specific_health_checkups_info = flag(c.checkups);
         s.consents.diagnosis_info = flag(c.diagnosis);
         s.consents.operation_info = flag(c.operation);
         s.consents.limit_application_certificate = flag(c.limit_certificate);
         // Each answer is recorded with its time; a consent holds for 24 h (docs/domain/reception-flow.md, consent),
         // as the result files' …AvailableTime = …ConsTime + 24 h.
         const WallTime at = plugs_.clock.wall_now();
         const std::string consented_at = format_jst_datetime(at);
         const std::string available_until = format_jst_datetime(at + consent_validity);
         r.details.emplace_back("consented_at", consented_at);
         const auto item = [&](const char* name, bool consented) {
           r.details.emplace_back(name, yes_no(consented));
           if (consented) r.details.emplace_back(std::string(name) + "_available_until", available_until);
         };
         item("medication", c.medication);
         item("checkups", c.checkups);
         item("diagnosis", c.diagnosis);
         item("operation", c.operation);
         // The 限度額 screen is shown only when the patient chose 高額療養費制度を利用する.
         r.details.emplace_back("limit_screen_shown", yes_no(c.limit_certificate));
         item("limit_certificate", c.limit_certificate);
       }},
      {"qualification_lookup",
       [&](FlowState& s, StepResult& r) {
         ons::CardQualificationInquiry inquiry;
         inquiry.header.qualification_confirmation_date = format_jst_date(plugs_.clock.wall_now());
         inquiry.header.medical_institution_code = reception.facility_code;
         inquiry.header.arbitrary_file_identifier = scenario.name;
         inquiry.user_authentication_certificate = s.auth_certificate->to_der();
         inquiry.challenge = s.challenge;
         inquiry.challenge_signature = s.challenge_signature;
         inquiry.consents = s.consents;
         r.details.emplace_back("endpoint", plugs_.ons.endpoint());
         s.result = plugs_.ons.inquire(inquiry);
         const ons::QualificationResult& result = *s.result;
         r.details.emplace_back("segment_of_result", std::string(ons::to_code(result.header.segment_of_result)));
         if (result.body.processing_result_status != ons::ProcessingResultStatus::normal_end) {
           throw StepFailure{"ONS answered ProcessingResultStatus 2 (エラー): " +
                             result.body.processing_result_code.value_or("-") + " " +
                             result.body.processing_result_message.value_or(result.header.error_message.value_or(""))};
         }
         if (!result.body.qualification_validity) throw StepFailure{"result carries no QualificationValidity"};
         const std::string validity(ons::to_code(*result.body.qualification_validity));
         r.details.emplace_back("qualification_validity",
                                validity + " " + std::string(ons::label(*result.body.qualification_validity)));
         r.details.emplace_back("results", std::to_string(result.body.results.size()));
         if (!scenario.expect_validity.empty() && validity != scenario.expect_validity) {
           throw StepFailure{"QualificationValidity " + validity + ", the scenario expects " + scenario.expect_validity};
         }
         s.result_xml = ons::encode_xml(result);
       }},
      {"deliver_result",
       [&](FlowState& s, StepResult& r) {
         const auto path = plugs_.results.deliver_face_result(s.result_xml, reception.facility_code,
                                                              plugs_.clock.wall_now());
         // Read back through the codec: what the receipt computer gets must parse.
         ons::decode_result(s.result_xml);
         record.result_file = path.string();
         r.details.emplace_back("file", path.string());
         r.details.emplace_back("bytes", std::to_string(s.result_xml.size()));
       }},
  };

  bool failed = false;
  for (const auto& [name, body] : steps) {
    StepResult result;
    result.name = name;
    if (failed) {
      result.status = StepStatus::skipped;
      result.reason = "an earlier step failed";
      record.steps.push_back(std::move(result));
      continue;
    }
    const MonotonicTime start = plugs_.clock.monotonic_now();
    try {
      body(state, result);
      result.status = StepStatus::passed;
    } catch (const StepFailure& f) {
      result.status = StepStatus::failed;
      result.reason = f.reason;
    } catch (const Error& e) {
      result.status = StepStatus::failed;
      result.reason = e.what();
    } catch (const std::exception& e) {
      result.status = StepStatus::failed;
      result.reason = std::string("unexpected error: ") + e.what();
    }
    result.duration = plugs_.clock.monotonic_now() - start;
    failed = result.status == StepStatus::failed;
    record.steps.push_back(std::move(result));
  }
  if (state.card_connected) {
    try {
      reader.disconnect();  // the patient takes the card back; a failure here changes no step
    } catch (const Error&) {
    }
  }
  record.total = plugs_.clock.monotonic_now() - run_start;
  return record;
}

}  // namespace onshi::flow
