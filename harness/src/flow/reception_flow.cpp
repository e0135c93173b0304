#include "onshi/flow/reception_flow.hpp"

#include <cstdio>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>

#include "onshi/core/error.hpp"
#include "onshi/crypto/certificate.hpp"
#include "onshi/iso7816/status_word.hpp"
#include "onshi/flow/face_match.hpp"
#include "onshi/jpki/application_ids.hpp"
#include "onshi/jpki/card_info.hpp"
#include "onshi/jpki/jpki_client.hpp"
#include "onshi/ons/codes.hpp"
#include "onshi/ons/wire_format.hpp"
#include "onshi/ons/xml_codec.hpp"
#include "onshi/run/executor.hpp"

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

using run::PhaseContext;
using StepFailure = run::PhaseFailure;  // a step's failure: the reason goes into the record as is

std::string yes_no(bool b) { return b ? "yes" : "no"; }

ons::ConsentFlag flag(bool consented) {
  return consented ? ons::ConsentFlag::consented : ons::ConsentFlag::not_consented;
}

constexpr auto consent_validity = std::chrono::hours(24);

// Attempts are a detail (schema 1) and a measurement.
void record_pin_attempts(PhaseContext& r, unsigned attempts) {
  r.detail("pin_attempts", std::to_string(attempts));
  r.measure("pin_attempts", static_cast<double>(attempts));
}

// A card's last PIN try is not spent on an entry that may be wrong unless the scenario means to
// lock the PIN, and on a precious (physical) card only when the operator agrees.
void keep_last_pin_try(const Reception& reception, unsigned attempt) {
  const Scenario& scenario = reception.scenario;
  const bool means_to_lock = scenario.expect_failed_step == "identity_check" &&
                             scenario.expect_reason_contains.find("blocked") != std::string::npos;
  if (!means_to_lock) {
    throw StepFailure{"the card has 1 user-authentication PIN try left and entry " + std::to_string(attempt) +
                      " is not the correct PIN: the harness does not spend a card's last try unless the scenario means "
                      "to lock the PIN"};
  }
  if (!reception.precious_card) return;
  const std::string question = "PIN entry " + std::to_string(attempt) +
                               " will lock this test card's user-authentication PIN (1 try left). Lock it?";
  if (!reception.confirm_last_pin_try || !reception.confirm_last_pin_try(question)) {
    throw StepFailure{"the operator did not agree to spend the card's last PIN try (" + question + ")"};
  }
}

// The PIN path: what the patient types, in order, until one verifies or the PIN blocks.
void verify_pin_entries(jpki::JpkiClient& card, const Reception& reception, PhaseContext& r) {
  std::optional<unsigned> tries = card.auth_pin_tries_left();
  if (tries) {
    r.detail("tries_left_before", std::to_string(*tries));
    r.measure("tries_left_before", static_cast<double>(*tries));
  }
  if (reception.pins.empty()) throw StepFailure{"the scenario enters no PIN"};
  unsigned attempts = 0;
  for (const std::string& pin : reception.pins) {
    const std::vector<std::string>& entries = reception.scenario.pin_entries;
    const bool known_correct = attempts < entries.size() && entries[attempts] == "correct";
    ++attempts;
    if (tries && *tries == 1 && !known_correct) keep_last_pin_try(reception, attempts);
    const jpki::PinVerification v = card.verify_auth_pin(pin);
    if (v.verified()) {
      record_pin_attempts(r, attempts);
      return;
    }
    if (v.outcome == jpki::PinVerification::Outcome::blocked) {
      record_pin_attempts(r, attempts);
      throw StepFailure{"user-authentication PIN is blocked (card answered " + iso7816::sw::describe(v.status_word) +
                        ")"};
    }
    tries = v.tries_left;
    if (v.tries_left == 0) {
      record_pin_attempts(r, attempts);
      throw StepFailure{"wrong PIN on attempt " + std::to_string(attempts) +
                        ", no tries left: the user-authentication PIN is now blocked"};
    }
  }
  record_pin_attempts(r, attempts);
  throw StepFailure{"wrong PIN on all " + std::to_string(attempts) + " attempts"};
}

// The face path's card part: 照合番号B opens the 券面AP, the face image is read and compared.
bool face_matches(jpki::JpkiClient& card, const Reception& reception, PhaseContext& r) {
  card.select_application(jpki::aid::card_surface, "券面AP");
  const jpki::PinVerification opened = card.verify_pin(jpki::kenkaku_ef::collation_number_b,
                                                       reception.collation_number_b, jpki::collation_number_b_format);
  if (!opened.verified()) {
    throw StepFailure{"照合番号B did not open the 券面AP (" + iso7816::sw::describe(opened.status_word) + ")"};
  }
  const jpki::CardSurfaceInfo surface = jpki::parse_card_surface(card.read_der_file(jpki::kenkaku_ef::card_surface));
  r.detail("face_image_bytes", std::to_string(surface.face_image.size()));
  const IdentityPlan& plan = reception.scenario.identity;
  const FaceMatch match = simulate_face_match(surface.face_image, plan.face_seed, plan.face_threshold);
  char score[32];
  std::snprintf(score, sizeof score, "%.3f/%.3f", match.score, plan.face_threshold);
  r.detail("face_score", score);
  r.measure("face_score", match.score);
  r.detail("face_match", yes_no(match.matched));
  return match.matched;
}

// 特定機関認証: the reader's terminal credential lets the auth key sign without the PIN.
void authenticate_terminal(jpki::JpkiClient& card, const Reception& reception, PhaseContext& r) {
  if (!reception.terminal) throw StepFailure{"no terminal credential for 特定機関認証 on this rig"};
  const std::uint16_t answer = card.terminal_authenticate(reception.terminal->certificate, reception.terminal->key);
  r.detail("terminal_authentication", iso7816::sw::describe(answer));
  if (answer != iso7816::sw::ok) throw StepFailure{"the card refused the terminal certificate (特定機関認証)"};
}

namespace plug {
constexpr const char* reader = "reader";
constexpr const char* ons = "ons";
constexpr const char* results = "results";
}  // namespace plug

double whole_days(Duration d) {
  return static_cast<double>(std::chrono::duration_cast<std::chrono::hours>(d).count() / 24);
}

run::Phase phase(const char* name, std::vector<std::string> plugs, std::function<void(PhaseContext&)> body,
                 const Reception& reception) {
  run::Phase p;
  p.name = name;
  p.plugs = std::move(plugs);
  p.body = std::move(body);
  if (const auto budget = reception.step_budgets.find(p.name); budget != reception.step_budgets.end()) {
    p.budget = budget->second;
  }
  return p;
}

}  // namespace

RunRecord ReceptionFlow::run(const Reception& reception, run::EventSink* events) {
  const Scenario& scenario = reception.scenario;
  const Clock& clock = plugs_.clock;
  FlowState s;

  run::Plan plan;
  plan.name = scenario.name;
  plan.attributes = {{"rig", reception.rig},
                     {"scenario", scenario.name},
                     {"patient", scenario.patient},
                     {"facility", reception.facility_code}};
  plan.expectation.failed_phase = scenario.expect_failed_step;
  plan.expectation.reason_contains = scenario.expect_reason_contains;
  if (!scenario.expect_identity_method.empty()) {
    plan.expectation.attributes.emplace_back("identity_method", scenario.expect_identity_method);
  }
  plan.skip_reason = "an earlier step failed";
  plan.plugs.bind<reader::CardReader>(plug::reader, plugs_.reader)
      .bind<QualificationClient>(plug::ons, plugs_.ons)
      .bind<ResultFolder>(plug::results, plugs_.results);

  plan.phases.push_back(phase("card_detect", {plug::reader}, [&](PhaseContext& r) {
    auto& reader = r.plug<reader::CardReader>(plug::reader);
    if (!reader.wait_for_card(scenario.card_wait)) {
      throw StepFailure{"no card in " + reader.name() + " within " +
                        std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(scenario.card_wait).count()) +
                        " ms"};
    }
    const Bytes atr = reader.connect();
    s.card_connected = true;
    r.detail("reader", reader.name());
    r.detail("atr", to_hex(atr, " "));
  }, reception));

  plan.phases.push_back(phase("read_certificate", {plug::reader}, [&](PhaseContext& r) {
    jpki::JpkiClient card(r.plug<reader::CardReader>(plug::reader).channel());
    card.select_jpki_ap();
    s.auth_certificate = card.read_auth_certificate();
    r.detail("subject", s.auth_certificate->subject());
    r.detail("serial", s.auth_certificate->serial_hex());
    r.detail("issuer", s.auth_certificate->issuer());
    // Before any PIN: is this the card the scenario expects? A wrong card must not lose tries.
    if (!reception.expected_card_id.empty()) {
      const std::string card_id = s.auth_certificate->subject_attribute("CN");
      if (card_id != reception.expected_card_id) {
        throw StepFailure{"the card in the reader is not the one scenario " + scenario.name + " expects: its certificate " +
                          "names card " + (card_id.empty() ? std::string("(no CN)") : card_id) + ", patient " +
                          scenario.patient + "'s card is " + reception.expected_card_id + "; no PIN was sent"};
      }
      r.detail("card_is_the_scenarios", "yes");
    }
    const WallTime now = clock.wall_now();
    // Whole days until the certificate expires, negative once it has: how soon the patient
    // must renew it at the municipality.
    const Duration left = s.auth_certificate->not_after() - now;
    r.measure("certificate_days_left", left < Duration::zero() ? -whole_days(-left) : whole_days(left), "days");
    if (now < s.auth_certificate->not_before() || now > s.auth_certificate->not_after()) {
      throw StepFailure{"user-authentication certificate is outside its validity period"};
    }
  }, reception));

  plan.phases.push_back(phase("identity_check", {plug::reader}, [&](PhaseContext& r) {
    jpki::JpkiClient card(r.plug<reader::CardReader>(plug::reader).channel());
    const IdentityPlan& identity = scenario.identity;
    r.detail("path", std::string(to_string(identity.path)));
    std::string method;
    if (identity.path == IdentityPath::face) {
      if (identity.camera_fault) {
        r.detail("camera", "fault");
        if (identity.operator_decision.empty()) throw StepFailure{"camera fault and no staff for 目視確認"};
        method = "visual";  // the prescribed fallback when the camera cannot be used
      } else if (face_matches(card, reception, r)) {
        method = "face";
      } else {
        method = "pin-after-face-miss";
      }
    } else if (identity.path == IdentityPath::visual) {
      method = "visual";
    } else {
      method = "pin";
    }
    r.set_run_attribute("identity_method", method);
    r.detail("method", method);
    card.select_jpki_ap();  // the face path left the 券面AP selected
    if (method == "visual") {
      r.detail("operator_decision", identity.operator_decision);
      if (identity.operator_decision != "confirmed") throw StepFailure{"目視確認: the staff rejected the identity"};
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
    r.detail("signature_bytes", std::to_string(s.challenge_signature.size()));
    r.measure("signature_bytes", static_cast<double>(s.challenge_signature.size()), "bytes");
  }, reception));

  plan.phases.push_back(phase("consent", {}, [&](PhaseContext& r) {
    const ConsentChoices& c = scenario.consent;
    s.consents.pharmacists_info = flag(c.medication);
    s.consents.specific_health_checkups_info = flag(c.checkups);
    s.consents.diagnosis_info = flag(c.diagnosis);
    s.consents.operation_info = flag(c.operation);
    s.consents.limit_application_certificate = flag(c.limit_certificate);
    // Each answer is recorded with its time; a consent holds for 24 h (docs/domain/reception-flow.md, consent),
    // as the result files' …AvailableTime = …ConsTime + 24 h.
    const WallTime at = clock.wall_now();
    const std::string consented_at = format_jst_datetime(at);
    const std::string available_until = format_jst_datetime(at + consent_validity);
    r.detail("consented_at", consented_at);
    const auto item = [&](const char* name, bool consented) {
      r.detail(name, yes_no(consented));
      if (consented) r.detail(std::string(name) + "_available_until", available_until);
    };
    item("medication", c.medication);
    item("checkups", c.checkups);
    item("diagnosis", c.diagnosis);
    item("operation", c.operation);
    // The 限度額 screen is shown only when the patient chose 高額療養費制度を利用する.
    r.detail("limit_screen_shown", yes_no(c.limit_certificate));
    item("limit_certificate", c.limit_certificate);
  }, reception));

  plan.phases.push_back(phase("qualification_lookup", {plug::ons}, [&](PhaseContext& r) {
    auto& ons_client = r.plug<QualificationClient>(plug::ons);
    ons::CardQualificationInquiry inquiry;
    inquiry.header.qualification_confirmation_date = format_jst_date(clock.wall_now());
    inquiry.header.medical_institution_code = reception.facility_code;
    inquiry.header.arbitrary_file_identifier = scenario.name;
    inquiry.user_authentication_certificate = s.auth_certificate->to_der();
    inquiry.challenge = s.challenge;
    inquiry.challenge_signature = s.challenge_signature;
    inquiry.consents = s.consents;
    r.detail("endpoint", ons_client.endpoint());
    s.result = ons_client.inquire(inquiry);
    const ons::QualificationResult& result = *s.result;
    r.detail("segment_of_result", std::string(ons::to_code(result.header.segment_of_result)));
    if (result.body.processing_result_status != ons::ProcessingResultStatus::normal_end) {
      throw StepFailure{"ONS answered ProcessingResultStatus 2 (エラー): " +
                        result.body.processing_result_code.value_or("-") + " " +
                        result.body.processing_result_message.value_or(result.header.error_message.value_or(""))};
    }
    if (!result.body.qualification_validity) throw StepFailure{"result carries no QualificationValidity"};
    const std::string validity(ons::to_code(*result.body.qualification_validity));
    r.detail("qualification_validity", validity + " " + std::string(ons::label(*result.body.qualification_validity)));
    r.detail("results", std::to_string(result.body.results.size()));
    r.measure("results", static_cast<double>(result.body.results.size()));
    if (!scenario.expect_validity.empty() && validity != scenario.expect_validity) {
      throw StepFailure{"QualificationValidity " + validity + ", the scenario expects " + scenario.expect_validity};
    }
    // Canonical (UTF-8, CharacterCodeIdentifier 0) whatever the ONS answered in; the result
    // folder writes it in the rig's [output] encoding with the identifier to match.
    ons::QualificationResult canonical = result;
    canonical.header.character_code_identifier = ons::CharacterCodeIdentifier::utf8;
    s.result_xml = ons::encode_xml(canonical);
  }, reception));

  plan.phases.push_back(phase("deliver_result", {plug::results}, [&](PhaseContext& r) {
    auto& folder = r.plug<ResultFolder>(plug::results);
    const auto path = folder.deliver_face_result(s.result_xml, reception.facility_code, clock.wall_now());
    // Read back through the codec, by its declaration: what the receipt computer gets must parse.
    std::ifstream in(path, std::ios::binary);
    std::string written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.is_open()) {
      // A quick receipt computer took the file up already (docs/card-receptions.md): check the
      // same bytes deliver_face_result wrote.
      written = ons::from_canonical(s.result_xml, ons::WireFormat{ons::WireSyntax::xml, folder.encoding()});
      r.detail("read_back", "taken up by the receipt computer before the read-back");
    }
    ons::decode_result(ons::to_canonical(written, ons::WireSyntax::xml).xml);
    r.set_run_attribute("result_file", path.string());
    r.detail("file", path.string());
    r.detail("encoding", folder.encoding() == ons::TextEncoding::shift_jis ? "shift_jis" : "utf-8");
    r.detail("bytes", std::to_string(written.size()));
    r.measure("result_bytes", static_cast<double>(written.size()), "bytes");
  }, reception));

  plan.teardown = [&] {
    if (!s.card_connected) return;
    try {
      plugs_.reader.disconnect();  // the patient takes the card back; a failure here changes no step
    } catch (const Error&) {
    }
  };

  return RunRecord::from(run::Executor(clock).run(plan, events));
}

}  // namespace onshi::flow
