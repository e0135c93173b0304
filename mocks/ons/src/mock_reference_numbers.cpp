// The mock ONS's bulk 照会番号 registration (OQSmuimm01req / 02req; the element shape is the
// harness's inference, onshi/ons/reference_number_registration.hpp): the submit answers with a
// ReceptionNumber; the fetch answers 処理中 until bulk_ready_after has passed (by the injected
// clock), then one result per person. A person is registered when the card data name exactly
// one qualification on record; the number is kept per facility and patient.
#include "onshi/core/error.hpp"
#include "onshi/mocks/ons/ons_mock_service.hpp"
#include "onshi/ons/insurer_number.hpp"
#include "service_support.hpp"

namespace onshi::mocks::ons {
namespace o = onshi::ons;

namespace {

MockResponse reference_response(unsigned status, const o::ReferenceNumberResult& result) {
  MockResponse r;
  r.status = status;
  r.content_type = std::string(o::kXmlContentType) + "; charset=UTF-8";
  r.body = o::encode_xml(result);
  return r;
}

MockResponse reference_refusal(unsigned status, o::ProfileError error, const std::string& detail,
                               o::ReferenceNumberResult result) {
  result.segment_of_result = o::SegmentOfResult::abnormal_end;
  result.processing_result_status = o::ProcessingResultStatus::error;
  result.error_code = std::string(o::to_code(error));
  result.error_message = support::refusal_message(error, detail);
  MockResponse r = reference_response(status, result);
  r.outcome.error = error;
  return r;
}

void fail_item(o::ReferenceNumberItemResult& item, o::ProfileError error, const std::string& message) {
  item.processing_result_status = o::ProcessingResultStatus::error;
  item.processing_result_code = std::string(o::to_code(error));
  item.processing_result_message = message;
}

}  // namespace

MockResponse OnsMockService::reference_submit(const MockRequest& request, const std::string& facility) const {
  const WallTime now = config_.clock->wall_now();
  o::ReferenceNumberResult head;
  head.process_execution_time = format_jst_datetime(now);
  head.medical_institution_code = facility;
  o::ReferenceNumberRegistration registration;
  try {
    registration = o::decode_reference_number_registration(request.body, {config_.max_xml_bytes});
  } catch (const Error& e) {
    return reference_refusal(400, o::ProfileError::malformed_request, e.context() + ": " + e.message(), head);
  }
  head.arbitrary_file_identifier = registration.header.arbitrary_file_identifier.value_or("");
  if (registration.header.medical_institution_code != facility) {
    MockResponse r = reference_refusal(
        403, o::ProfileError::facility_mismatch,
        "request " + registration.header.medical_institution_code + ", certificate " + facility, head);
    r.outcome.refusal = "facility_mismatch";
    return r;
  }
  if (registration.entries.size() > config_.bulk_max_items) {
    return reference_refusal(413, o::ProfileError::too_many_items,
                             std::to_string(registration.entries.size()) + " > " + std::to_string(config_.bulk_max_items),
                             head);
  }

  // Decided now, released later: the result does not depend on when it is fetched.
  o::ReferenceNumberResult done = head;
  done.segment_of_result = o::SegmentOfResult::normal_end;
  std::vector<std::pair<std::string, std::string>> registered;  // patient, 照会番号
  unsigned normal = 0;
  for (const auto& entry : registration.entries) {
    o::ReferenceNumberItemResult item;
    item.arbitrary_identifier = entry.arbitrary_identifier;
    item.reference_number = entry.reference_number;
    if (const std::string problem = o::insurer_number_problem(entry.insurer_number); !problem.empty()) {
      fail_item(item, o::ProfileError::insurer_number_invalid, "InsurerNumber '" + entry.insurer_number + "': " + problem);
    } else {
      const auto matches = find_qualifications(entry.insurer_number, entry.insured_card_symbol,
                                               entry.insured_identification_number, entry.insured_branch_number,
                                               entry.birthdate);
      if (matches.empty()) {
        fail_item(item, o::ProfileError::no_qualification, support::refusal_message(o::ProfileError::no_qualification, ""));
      } else if (matches.size() > 1) {
        fail_item(item, o::ProfileError::several_qualifications,
                  support::refusal_message(o::ProfileError::several_qualifications, ""));
      } else {
        registered.emplace_back(matches.front()->id, entry.reference_number);
        ++normal;
      }
    }
    done.items.push_back(std::move(item));
  }
  done.number_of_processing_result = static_cast<unsigned>(done.items.size());
  done.number_of_normal_processing = normal;
  done.number_of_error = static_cast<unsigned>(done.items.size()) - normal;

  o::ReferenceNumberResult accepted = head;
  accepted.segment_of_result = o::SegmentOfResult::processing;
  {
    const std::lock_guard lock(bulk_mutex_);
    const std::string number = next_reception_number(now);
    accepted.reception_number = done.reception_number = number;
    for (const auto& [patient, reference] : registered) reference_numbers_[facility + "|" + patient] = reference;
    reference_jobs_.add(number, {facility, now + config_.bulk_ready_after, std::move(done)}, config_.bulk_jobs_kept);
  }
  MockResponse r = reference_response(200, accepted);
  r.outcome.consents.push_back("reference_items=" + std::to_string(registration.entries.size()));
  return r;
}

MockResponse OnsMockService::reference_fetch(const MockRequest& request, const std::string& facility) const {
  const WallTime now = config_.clock->wall_now();
  o::ReferenceNumberResult head;
  head.process_execution_time = format_jst_datetime(now);
  head.medical_institution_code = facility;
  o::BulkFetch fetch;
  try {
    fetch = o::decode_bulk_fetch(request.body, {config_.max_xml_bytes});
  } catch (const Error& e) {
    return reference_refusal(400, o::ProfileError::malformed_request, e.context() + ": " + e.message(), head);
  }
  head.reception_number = fetch.reception_number;
  if (fetch.medical_institution_code != facility) {
    MockResponse r = reference_refusal(403, o::ProfileError::facility_mismatch,
                                       "request " + fetch.medical_institution_code + ", certificate " + facility, head);
    r.outcome.refusal = "facility_mismatch";
    return r;
  }
  std::optional<AsyncJobs<o::ReferenceNumberResult>::Job> job;
  {
    const std::lock_guard lock(bulk_mutex_);
    job = reference_jobs_.find(fetch.reception_number, facility);
  }
  if (!job) return reference_refusal(404, o::ProfileError::reception_unknown, fetch.reception_number, head);
  if (now < job->ready_at) {
    o::ReferenceNumberResult pending = head;
    pending.arbitrary_file_identifier = job->result.arbitrary_file_identifier;
    pending.segment_of_result = o::SegmentOfResult::processing;
    return reference_response(200, pending);
  }
  o::ReferenceNumberResult result = std::move(job->result);
  result.process_execution_time = head.process_execution_time;
  return reference_response(200, result);
}

std::optional<std::string> OnsMockService::reference_number_of(const std::string& facility,
                                                               const std::string& patient_id) const {
  const std::lock_guard lock(bulk_mutex_);
  const auto it = reference_numbers_.find(facility + "|" + patient_id);
  if (it == reference_numbers_.end()) return std::nullopt;
  return it->second;
}

}  // namespace onshi::mocks::ons
