#include "onshi/mocks/ons/ons_mock_service.hpp"

#include <algorithm>
#include <cctype>

#include "onshi/core/error.hpp"
#include "onshi/mocks/ons/patient_record.hpp"
#include "onshi/ons/insurer_number.hpp"
#include "onshi/ons/wire_format.hpp"
#include "service_support.hpp"
#include "onshi/ons/xml_codec.hpp"

namespace onshi::mocks::ons {
namespace o = onshi::ons;

namespace {

using support::decode_for_facility;
using support::Echo;
using support::is_facility_code;
using support::normalise_insurer;
using support::plain;
using support::refusal;
using support::result_header;
using support::xml_response;

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
  // Also checks every patient's codes now rather than on the first inquiry.
  const auto& patients = config_.population.patients;
  records_.reserve(patients.size());
  validities_.reserve(patients.size());
  for (std::size_t k = 0; k < patients.size(); ++k) {
    records_.push_back(qualification_record(patients[k]));
    validities_.push_back(qualification_validity(patients[k]));
    const auto& i = patients[k].insurance;
    if (i.on_record) by_card_.emplace(normalise_insurer(i.insurer_number) + "|" + i.insured_identification_number, k);
  }
  for (const auto& [serial, id] : config_.enrolments.entries()) {
    try {
      config_.population.patient(id);
    } catch (const Error& e) {
      throw Error(ErrorCode::config, "enrolment of certificate " + serial + " names an unknown patient", e.message());
    }
  }
}

MockResponse OnsMockService::handle(MockRequest request) const {
  const std::string path = request.target.substr(0, request.target.find('?'));
  const o::InterfacePaths& paths = config_.profile.paths;
  enum class Endpoint { card, search, medication, checkup, bulk_submit, bulk_fetch, reference_submit, reference_fetch, login };
  Endpoint endpoint{};
  if (path == paths.card) endpoint = Endpoint::card;
  else if (path == paths.search) endpoint = Endpoint::search;
  else if (path == paths.medication) endpoint = Endpoint::medication;
  else if (path == paths.checkup) endpoint = Endpoint::checkup;
  else if (path == paths.bulk_submit) endpoint = Endpoint::bulk_submit;
  else if (path == paths.bulk_fetch) endpoint = Endpoint::bulk_fetch;
  else if (path == paths.reference_submit) endpoint = Endpoint::reference_submit;
  else if (path == paths.reference_fetch) endpoint = Endpoint::reference_fetch;
  else if (path == paths.login) endpoint = Endpoint::login;
  else return plain(404, "no such endpoint: " + path);
  if (request.method != "POST") {
    MockResponse r = plain(405, "use POST");
    r.headers.push_back({"Allow", "POST"});
    return r;
  }
  const auto syntax = o::wire_syntax_of(request.content_type);
  const bool card = endpoint == Endpoint::card;
  const auto reference = card ? o::ReferenceClassification::my_number_card : o::ReferenceClassification::insurance_card_info;
  if (endpoint == Endpoint::login) {
    if (syntax != o::WireSyntax::json) return plain(415, "Content-Type must be application/json");
  } else if (!syntax) {
    return plain(415, "Content-Type must be application/xml or application/json");
  }
  // The TLS layer requires a terminal certificate; its serialNumber is the facility code.
  const std::string facility = !request.terminal_facility.empty() ? request.terminal_facility
                                : request.terminal_certificate
                                    ? request.terminal_certificate->subject_attribute("serialNumber")
                                    : std::string();
  if (!is_facility_code(facility)) {
    const Echo echo{format_jst_date(config_.clock->wall_now()), "0000000000", ""};
    return refusal(403, o::ProfileError::facility_mismatch, "terminal certificate has no facility code", echo, reference,
                   config_.clock->wall_now());
  }
  if (endpoint == Endpoint::login) return login(request, facility);

  // Login (when required), then the wire format: everything below sees canonical UTF-8 XML.
  const WallTime now = config_.clock->wall_now();
  const Echo echo{format_jst_date(now), facility, ""};
  o::WireFormat format{*syntax, o::TextEncoding::utf8};
  auto in_wire_format = [&](MockResponse r) { return to_wire(std::move(r), format, echo, reference, now); };
  if (config_.login_required && !token_valid(request.authorization, facility)) {
    MockResponse r = refusal(401, o::ProfileError::unauthenticated, "", echo, reference, now);
    r.headers.push_back({"WWW-Authenticate", "Bearer"});
    r.outcome.refusal = "no_login";
    return in_wire_format(std::move(r));
  }
  MockRequest& canonical = request;  // the body is replaced by its canonical form
  try {
    o::CanonicalMessage message = o::to_canonical(request.body, *syntax, config_.profile.inbound, {config_.max_xml_bytes});
    canonical.body = std::move(message.xml);
    format = message.format;
  } catch (const Error& e) {
    return in_wire_format(refusal(400, o::ProfileError::malformed_request, e.context() + ": " + e.message(), echo,
                                  reference, now));
  }
  try {
    switch (endpoint) {
      case Endpoint::card: return in_wire_format(card_inquiry(canonical, facility));
      case Endpoint::search: return in_wire_format(search_inquiry(canonical, facility));
      case Endpoint::medication:
        return in_wire_format(information_request(canonical, facility, o::InformationKind::medication));
      case Endpoint::checkup: return in_wire_format(information_request(canonical, facility, o::InformationKind::checkup));
      case Endpoint::bulk_submit: return in_wire_format(bulk_submit(canonical, facility));
      case Endpoint::bulk_fetch: return in_wire_format(bulk_fetch(canonical, facility));
      case Endpoint::reference_submit: return in_wire_format(reference_submit(canonical, facility));
      case Endpoint::reference_fetch: return in_wire_format(reference_fetch(canonical, facility));
      case Endpoint::login: break;
    }
  } catch (const Error& e) {
    // Never let one bad request take the server down; say what went wrong.
    return refusal(500, o::ProfileError::internal, e.what(), echo, reference, now);
  }
  return plain(500, "unreachable endpoint");
}

std::vector<const population::Patient*> OnsMockService::find_qualifications(const std::string& insurer_number,
                                                                          const std::optional<std::string>& symbol,
                                                                          const std::string& number,
                                                                          const std::optional<std::string>& branch,
                                                                          const std::optional<std::string>& birthdate) const {
  std::vector<const population::Patient*> matches;
  const auto [first, last] = by_card_.equal_range(normalise_insurer(insurer_number) + "|" + number);
  for (auto it = first; it != last; ++it) {
    const population::Patient& p = config_.population.patients[it->second];
    const auto& i = p.insurance;
    if (birthdate && p.birthdate != *birthdate) continue;
    if (symbol && !symbol->empty() && *symbol != i.insured_card_symbol) continue;
    if (branch && !branch->empty() && *branch != i.insured_branch_number) continue;
    matches.push_back(&p);
  }
  // The population's order, whatever order the index keeps equal keys in.
  std::sort(matches.begin(), matches.end());
  return matches;
}

const o::QualificationRecord& OnsMockService::record_of(const population::Patient& patient) const {
  return records_.at(static_cast<std::size_t>(&patient - config_.population.patients.data()));
}

o::QualificationValidity OnsMockService::validity_of(const population::Patient& patient) const {
  return validities_.at(static_cast<std::size_t>(&patient - config_.population.patients.data()));
}

void OnsMockService::remember_consent(const std::string& facility, const std::string& patient_id, o::InformationKind kind,
                                      const std::optional<o::ConsentFlag>& flag, WallTime now) const {
  if (!flag) return;  // not asked: an earlier consent stands
  const std::string key = facility + "|" + patient_id + "|" + std::string(o::to_string(kind));
  const std::lock_guard lock(consent_mutex_);
  if (*flag == o::ConsentFlag::consented) {
    consents_[key] = now;
  } else {
    consents_.erase(key);  // declined this time: the earlier consent no longer applies
  }
}

std::optional<WallTime> OnsMockService::consent_time(const std::string& facility, const std::string& patient_id,
                                                     o::InformationKind kind) const {
  const std::string key = facility + "|" + patient_id + "|" + std::string(o::to_string(kind));
  const std::lock_guard lock(consent_mutex_);
  const auto it = consents_.find(key);
  if (it == consents_.end()) return std::nullopt;
  return it->second;
}

MockResponse OnsMockService::card_inquiry(const MockRequest& request, const std::string& facility) const {
  const WallTime now = config_.clock->wall_now();
  constexpr auto kRef = o::ReferenceClassification::my_number_card;
  Echo echo;
  o::CardQualificationInquiry inquiry;
  const auto decode = [&](const std::string& body) { return o::decode_card_inquiry(body, {config_.max_xml_bytes}); };
  if (auto refused = decode_for_facility(request.body, decode, facility, kRef, now, inquiry, echo)) return *refused;

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
    const population::Patient& patient = config_.population.patient(*patient_id);
    outcome.patient_id = *patient_id;
    if (patient.insurance.on_record) {
      o::QualificationRecord record = record_of(patient);
      apply_consents(record, patient, inquiry.consents, now);
      result.body.qualification_validity = validity_of(patient);
      result.body.results.push_back(std::move(record));
      // Remembered for later medication/checkup requests from this facility (24 h).
      remember_consent(facility, *patient_id, o::InformationKind::medication, inquiry.consents.pharmacists_info, now);
      remember_consent(facility, *patient_id, o::InformationKind::checkup,
                       inquiry.consents.specific_health_checkups_info, now);
    } else {
      result.body.qualification_validity = o::QualificationValidity::no_qualification;
    }
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
  Echo echo;
  o::QualificationSearchInquiry inquiry;
  const auto decode = [&](const std::string& body) { return o::decode_search_inquiry(body, {config_.max_xml_bytes}); };
  if (auto refused = decode_for_facility(request.body, decode, facility, kRef, now, inquiry, echo)) return *refused;

  if (const std::string problem = o::insurer_number_problem(inquiry.insurer_number); !problem.empty()) {
    return refusal(400, o::ProfileError::insurer_number_invalid, "InsurerNumber '" + inquiry.insurer_number + "': " + problem,
                   echo, kRef, now);
  }

  o::QualificationResult result;
  result.header = result_header(echo, kRef, now);
  result.body.processing_result_status = o::ProcessingResultStatus::normal_end;
  const std::vector<const population::Patient*> matches =
      find_qualifications(inquiry.insurer_number, inquiry.insured_card_symbol, inquiry.insured_identification_number,
                          inquiry.insured_branch_number, inquiry.birthdate);
  o::ConsentChoices consents;
  consents.limit_application_certificate = inquiry.limit_application_certificate_consent;
  for (const population::Patient* p : matches) {
    o::QualificationRecord record = record_of(*p);
    apply_consents(record, *p, consents, now);
    result.body.results.push_back(std::move(record));
  }
  MockOutcome outcome;
  outcome.consents.push_back(std::string("LimitApplicationCertificateRelated=") +
                             (consents.limit_application_certificate == o::ConsentFlag::consented ? "consented" : "declined"));
  if (matches.empty()) {
    result.body.qualification_validity = o::QualificationValidity::no_qualification;
  } else if (matches.size() == 1) {
    result.body.qualification_validity = validity_of(*matches.front());
    outcome.patient_id = matches.front()->id;
  } else {
    result.body.qualification_validity = o::QualificationValidity::multiple;
  }
  outcome.validity = result.body.qualification_validity;
  MockResponse r = xml_response(200, result);
  r.outcome = outcome;
  return r;
}

MockResponse OnsMockService::to_wire(MockResponse r, const o::WireFormat& format, const Echo& echo,
                                     o::ReferenceClassification reference, WallTime now) const {
  if (r.content_type.rfind(o::kXmlContentType, 0) != 0) return r;
  if (format == o::WireFormat{} && config_.profile.outbound.empty()) return r;  // canonical is the wire form
  try {
    r.body = o::from_canonical(r.body, format, config_.profile.outbound);
    r.content_type = o::content_type_for(format);
  } catch (const Error& e) {
    // A name with no Shift_JIS form: say so in UTF-8 rather than send mojibake.
    r = refusal(500, o::ProfileError::internal, e.context() + ": " + e.message(), echo, reference, now);
  }
  return r;
}

MockResponse OnsMockService::fault_response(const MockRequest& request, const FaultRule& rule) const {
  const WallTime now = config_.clock->wall_now();
  const std::string path = request.target.substr(0, request.target.find('?'));
  const auto reference =
      path == config_.profile.paths.card ? o::ReferenceClassification::my_number_card : o::ReferenceClassification::insurance_card_info;
  const std::string facility = !request.terminal_facility.empty() ? request.terminal_facility
                               : request.terminal_certificate
                                   ? request.terminal_certificate->subject_attribute("serialNumber")
                                   : std::string();
  const Echo echo{format_jst_date(now), facility, ""};
  // An injected ONS-style answer comes in the format the terminal asked in, like a real one:
  // JSON for JSON, Shift_JIS XML for Shift_JIS XML, with this profile's element names.
  o::WireFormat format;
  if (const auto syntax = o::wire_syntax_of(request.content_type)) format.syntax = *syntax;
  if (format.syntax == o::WireSyntax::xml) format.encoding = o::declared_xml_encoding(request.body);
  return to_wire(injected_answer(rule, echo, reference, now), format, echo, reference, now);
}

MockResponse OnsMockService::injected_answer(const FaultRule& rule, const Echo& echo, o::ReferenceClassification reference,
                                             WallTime now) const {
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
