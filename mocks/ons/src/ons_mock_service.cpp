#include "onshi/mocks/ons/ons_mock_service.hpp"

#include <algorithm>
#include <cctype>

#include "onshi/core/error.hpp"
#include "onshi/mocks/ons/patient_record.hpp"
#include "onshi/ons/insurer_number.hpp"
#include "onshi/ons/xml_codec.hpp"

namespace onshi::mocks::ons {
namespace o = onshi::ons;

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// "application/xml; charset=UTF-8" -> "application/xml"
std::string media_type(std::string_view content_type) {
  const std::size_t semi = content_type.find(';');
  std::string_view t = content_type.substr(0, semi);
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
  return lower(t);
}

MockResponse plain(unsigned status, std::string text) {
  MockResponse r;
  r.status = status;
  r.content_type = "text/plain; charset=UTF-8";
  r.body = std::move(text) + "\n";
  return r;
}

bool is_facility_code(std::string_view s) {
  return s.size() == 10 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Everything a result header echoes; for undecodable requests only what the TLS layer knows.
struct Echo {
  std::string date;
  std::string facility;
  std::string file_identifier;
};

o::ResultHeader result_header(const Echo& echo, o::ReferenceClassification reference, WallTime now) {
  o::ResultHeader h;
  h.process_execution_time = format_jst_datetime(now);
  h.qualification_confirmation_date = echo.date;
  h.medical_institution_code = echo.facility;
  h.arbitrary_file_identifier = echo.file_identifier;
  h.reference_classification = reference;
  h.segment_of_result = o::SegmentOfResult::normal_end;
  h.character_code_identifier = o::CharacterCodeIdentifier::utf8;
  return h;
}

MockResponse xml_response(unsigned status, const o::QualificationResult& result) {
  MockResponse r;
  r.status = status;
  r.content_type = std::string(o::kXmlContentType) + "; charset=UTF-8";
  r.body = o::encode_xml(result);
  return r;
}

MockResponse refusal(unsigned status, o::ProfileError error, const std::string& detail, const Echo& echo,
                     o::ReferenceClassification reference, WallTime now) {
  o::QualificationResult result;
  result.header = result_header(echo, reference, now);
  result.header.segment_of_result = o::SegmentOfResult::abnormal_end;
  result.header.error_code = std::string(o::to_code(error));
  std::string message(o::label(error));
  if (!detail.empty()) message += " (" + detail + ")";
  result.header.error_message = message;
  result.body.processing_result_status = o::ProcessingResultStatus::error;
  MockResponse r = xml_response(status, result);
  r.outcome.error = error;
  return r;
}

std::string normalise_insurer(std::string_view n) {
  // "  138149", "00138149" and "138149" name the same 国保 insurer.
  const std::size_t first = n.find_first_not_of(" 0");
  return first == std::string_view::npos ? std::string() : std::string(n.substr(first));
}

void note_consent(std::vector<std::string>& out, const char* item, const std::optional<o::ConsentFlag>& flag) {
  const char* decision = !flag ? "not_asked" : *flag == o::ConsentFlag::consented ? "consented" : "declined";
  out.push_back(std::string(item) + "=" + decision);
}

std::vector<std::string> consent_decisions(const o::ConsentChoices& c) {
  std::vector<std::string> out;
  note_consent(out, "PharmacistsInfo", c.pharmacists_info);
  note_consent(out, "SpecificHealthCheckupsInfo", c.specific_health_checkups_info);
  note_consent(out, "DiagnosisInfo", c.diagnosis_info);
  note_consent(out, "OperationInfo", c.operation_info);
  note_consent(out, "LimitApplicationCertificateRelated", c.limit_application_certificate);
  return out;
}

}  // namespace

OnsMockService::OnsMockService(OnsMockServiceConfig config) : config_(std::move(config)) {
  if (!config_.jpki_ca) throw Error(ErrorCode::config, "no JPKI CA certificate", "mock ONS");
  if (config_.clock == nullptr) throw Error(ErrorCode::config, "no clock", "mock ONS");
  for (const auto& p : config_.population.patients) {
    qualification_record(p);
    qualification_validity(p);
  }
  for (const auto& [serial, id] : config_.enrolments.entries()) {
    try {
      config_.population.patient(id);
    } catch (const Error& e) {
      throw Error(ErrorCode::config, "enrolment of certificate " + serial + " names an unknown patient", e.message());
    }
  }
}

MockResponse OnsMockService::handle(const MockRequest& request) const {
  const std::string path = request.target.substr(0, request.target.find('?'));
  const bool card = path == o::kCardInquiryPath;
  const bool search = path == o::kSearchInquiryPath;
  if (!card && !search) return plain(404, "no such endpoint: " + path);
  if (request.method != "POST") {
    MockResponse r = plain(405, "use POST");
    r.headers.push_back({"Allow", "POST"});
    return r;
  }
  if (media_type(request.content_type) != o::kXmlContentType) {
    return plain(415, "Content-Type must be application/xml");
  }
  // The TLS layer requires a terminal certificate; its serialNumber is the facility code.
  const std::string facility =
      request.terminal_certificate ? request.terminal_certificate->subject_attribute("serialNumber") : std::string();
  if (!is_facility_code(facility)) {
    const Echo echo{format_jst_date(config_.clock->wall_now()), "0000000000", ""};
    return refusal(403, o::ProfileError::facility_mismatch, "terminal certificate has no facility code", echo,
                   card ? o::ReferenceClassification::my_number_card : o::ReferenceClassification::insurance_card_info,
                   config_.clock->wall_now());
  }
  try {
    return card ? card_inquiry(request, facility) : search_inquiry(request, facility);
  } catch (const Error& e) {
    // Never let one bad request take the server down; say what went wrong.
    const Echo echo{format_jst_date(config_.clock->wall_now()), facility, ""};
    return refusal(500, o::ProfileError::internal, e.what(), echo,
                   card ? o::ReferenceClassification::my_number_card : o::ReferenceClassification::insurance_card_info,
                   config_.clock->wall_now());
  }
}

MockResponse OnsMockService::card_inquiry(const MockRequest& request, const std::string& facility) const {
  const WallTime now = config_.clock->wall_now();
  constexpr auto kRef = o::ReferenceClassification::my_number_card;
  Echo echo{format_jst_date(now), facility, ""};

  o::CardQualificationInquiry inquiry;
  try {
    inquiry = o::decode_card_inquiry(request.body, {config_.max_xml_bytes});
  } catch (const Error& e) {
    return refusal(400, o::ProfileError::malformed_request, e.context() + ": " + e.message(), echo, kRef, now);
  }
  echo = {inquiry.header.qualification_confirmation_date, inquiry.header.medical_institution_code,
          inquiry.header.arbitrary_file_identifier.value_or("")};
  if (inquiry.header.medical_institution_code != facility) {
    MockResponse r = refusal(403, o::ProfileError::facility_mismatch,
                             "request " + inquiry.header.medical_institution_code + ", certificate " + facility, echo,
                             kRef, now);
    r.outcome.refusal = "facility_mismatch";
    return r;
  }

  crypto::Certificate user_cert;
  try {
    user_cert = crypto::Certificate::from_der(inquiry.user_authentication_certificate, "UserAuthenticationCertificate");
  } catch (const Error& e) {
    return refusal(400, o::ProfileError::malformed_request, e.context() + ": " + e.message(), echo, kRef, now);
  }
  const std::string serial = user_cert.serial_hex();
  auto refuse = [&](unsigned status, o::ProfileError error, const std::string& detail) {
    MockResponse r = refusal(status, error, detail, echo, kRef, now);
    r.outcome.user_certificate_serial = serial;
    return r;
  };
  if (user_cert.issuer() != config_.jpki_ca.subject() || !user_cert.issued_by(config_.jpki_ca)) {
    return refuse(403, o::ProfileError::certificate_untrusted, "issuer " + user_cert.issuer());
  }
  if (now < user_cert.not_before() || now > user_cert.not_after()) {
    return refuse(403, o::ProfileError::certificate_expired, "");
  }
  if (!user_cert.verify_sha256_pkcs1(inquiry.challenge, inquiry.challenge_signature)) {
    return refuse(403, o::ProfileError::signature_invalid, "");
  }
  // After the signature check, so unauthenticated junk cannot fill the replay window.
  if (config_.reject_replayed_challenges && !remember_challenge(to_hex(inquiry.challenge))) {
    return refuse(403, o::ProfileError::challenge_replayed, "");
  }

  o::QualificationResult result;
  result.header = result_header(echo, kRef, now);
  result.body.processing_result_status = o::ProcessingResultStatus::normal_end;
  MockOutcome outcome;
  outcome.user_certificate_serial = serial;
  outcome.consents = consent_decisions(inquiry.consents);
  if (const auto patient_id = config_.enrolments.patient_for(serial)) {
    const fixtures::Patient& patient = config_.population.patient(*patient_id);
    o::QualificationRecord record = qualification_record(patient);
    apply_consents(record, patient, inquiry.consents, now);
    result.body.qualification_validity = qualification_validity(patient);
    result.body.results.push_back(std::move(record));
    outcome.patient_id = *patient_id;
  } else {
    result.body.qualification_validity = o::QualificationValidity::no_qualification;
  }
  outcome.validity = result.body.qualification_validity;
  MockResponse r = xml_response(200, result);
  r.outcome = outcome;
  return r;
}

MockResponse OnsMockService::search_inquiry(const MockRequest& request, const std::string& facility) const {
  const WallTime now = config_.clock->wall_now();
  constexpr auto kRef = o::ReferenceClassification::insurance_card_info;
  Echo echo{format_jst_date(now), facility, ""};

  o::QualificationSearchInquiry inquiry;
  try {
    inquiry = o::decode_search_inquiry(request.body, {config_.max_xml_bytes});
  } catch (const Error& e) {
    return refusal(400, o::ProfileError::malformed_request, e.context() + ": " + e.message(), echo, kRef, now);
  }
  echo = {inquiry.header.qualification_confirmation_date, inquiry.header.medical_institution_code,
          inquiry.header.arbitrary_file_identifier.value_or("")};
  if (inquiry.header.medical_institution_code != facility) {
    MockResponse r = refusal(403, o::ProfileError::facility_mismatch,
                             "request " + inquiry.header.medical_institution_code + ", certificate " + facility, echo,
                             kRef, now);
    r.outcome.refusal = "facility_mismatch";
    return r;
  }

  if (const std::string problem = o::insurer_number_problem(inquiry.insurer_number); !problem.empty()) {
    return refusal(400, o::ProfileError::insurer_number_invalid, "InsurerNumber '" + inquiry.insurer_number + "': " + problem,
                   echo, kRef, now);
  }

  o::QualificationResult result;
  result.header = result_header(echo, kRef, now);
  result.body.processing_result_status = o::ProcessingResultStatus::normal_end;
  const std::string insurer = normalise_insurer(inquiry.insurer_number);
  std::vector<const fixtures::Patient*> matches;
  for (const auto& p : config_.population.patients) {
    const auto& i = p.insurance;
    if (normalise_insurer(i.insurer_number) != insurer ||
        i.insured_identification_number != inquiry.insured_identification_number || p.birthdate != inquiry.birthdate) {
      continue;
    }
    if (inquiry.insured_card_symbol && !inquiry.insured_card_symbol->empty() &&
        *inquiry.insured_card_symbol != i.insured_card_symbol) {
      continue;
    }
    if (inquiry.insured_branch_number && !inquiry.insured_branch_number->empty() &&
        *inquiry.insured_branch_number != i.insured_branch_number) {
      continue;
    }
    matches.push_back(&p);
  }
  o::ConsentChoices consents;
  consents.limit_application_certificate = inquiry.limit_application_certificate_consent;
  for (const fixtures::Patient* p : matches) {
    o::QualificationRecord record = qualification_record(*p);
    apply_consents(record, *p, consents, now);
    result.body.results.push_back(std::move(record));
  }
  MockOutcome outcome;
  outcome.consents.push_back(std::string("LimitApplicationCertificateRelated=") +
                             (consents.limit_application_certificate == o::ConsentFlag::consented ? "consented" : "declined"));
  if (matches.empty()) {
    result.body.qualification_validity = o::QualificationValidity::no_qualification;
  } else if (matches.size() == 1) {
    result.body.qualification_validity = qualification_validity(*matches.front());
    outcome.patient_id = matches.front()->id;
  } else {
    result.body.qualification_validity = o::QualificationValidity::multiple;
  }
  outcome.validity = result.body.qualification_validity;
  MockResponse r = xml_response(200, result);
  r.outcome = outcome;
  return r;
}

MockResponse OnsMockService::fault_response(const MockRequest& request, const FaultRule& rule) const {
  const WallTime now = config_.clock->wall_now();
  const std::string path = request.target.substr(0, request.target.find('?'));
  const auto reference =
      path == o::kCardInquiryPath ? o::ReferenceClassification::my_number_card : o::ReferenceClassification::insurance_card_info;
  const std::string facility =
      request.terminal_certificate ? request.terminal_certificate->subject_attribute("serialNumber") : std::string();
  const Echo echo{format_jst_date(now), facility, ""};
  switch (rule.kind) {
    case FaultKind::ons_error: {
      o::QualificationResult result;
      result.header = result_header(echo, reference, now);
      result.header.segment_of_result = o::SegmentOfResult::abnormal_end;
      result.header.error_code = rule.error_code;
      result.header.error_message = rule.error_message;
      result.body.processing_result_status = o::ProcessingResultStatus::error;
      return xml_response(rule.status, result);
    }
    case FaultKind::maintenance:
    case FaultKind::throttle: {
      const bool maintenance = rule.kind == FaultKind::maintenance;
      MockResponse r = refusal(maintenance ? 503 : 429,
                               maintenance ? o::ProfileError::out_of_service : o::ProfileError::throttled, "", echo,
                               reference, now);
      r.headers.push_back({"Retry-After", std::to_string(rule.retry_after_s)});
      return r;
    }
    case FaultKind::processing: {
      o::QualificationResult result;
      result.header = result_header(echo, reference, now);
      result.header.segment_of_result = o::SegmentOfResult::processing;
      result.body.processing_result_status = o::ProcessingResultStatus::normal_end;
      return xml_response(200, result);
    }
    default: return plain(rule.status, "injected fault: HTTP " + std::to_string(rule.status));
  }
}

bool OnsMockService::remember_challenge(const std::string& challenge) const {
  const std::lock_guard lock(replay_mutex_);
  if (!seen_challenges_.insert(challenge).second) return false;
  challenge_order_.push_back(challenge);
  while (challenge_order_.size() > config_.replay_window) {
    seen_challenges_.erase(challenge_order_.front());
    challenge_order_.pop_front();
  }
  return true;
}

}  // namespace onshi::mocks::ons
