// The mock ONS's two-phase bulk qualification inquiry: OQSmuquc01req answers with a
// ReceptionNumber; OQSmuquc02req answers 処理中 until bulk_ready_after has passed (by the
// injected clock), then the whole counted result.
#include <cstdio>

#include "onshi/core/error.hpp"
#include "onshi/mocks/ons/ons_mock_service.hpp"
#include "onshi/mocks/ons/patient_record.hpp"
#include "onshi/ons/insurer_number.hpp"
#include "service_support.hpp"

namespace onshi::mocks::ons {
namespace o = onshi::ons;

namespace {

MockResponse bulk_response(unsigned status, const o::BulkResult& result) {
  MockResponse r;
  r.status = status;
  r.content_type = std::string(o::kXmlContentType) + "; charset=UTF-8";
  r.body = o::encode_xml(result);
  return r;
}

MockResponse bulk_refusal(unsigned status, o::ProfileError error, const std::string& detail, o::BulkResult result) {
  result.segment_of_result = o::SegmentOfResult::abnormal_end;
  result.processing_result_status = o::ProcessingResultStatus::error;
  result.error_code = std::string(o::to_code(error));
  result.error_message = support::refusal_message(error, detail);
  MockResponse r = bulk_response(status, result);
  r.outcome.error = error;
  return r;
}

}  // namespace

MockResponse OnsMockService::bulk_submit(const MockRequest& request, const std::string& facility) const {
  const WallTime now = config_.clock->wall_now();
  o::BulkResult head;
  head.process_execution_time = format_jst_datetime(now);
  head.medical_institution_code = facility;
  o::BulkInquiry inquiry;
  try {
    inquiry = o::decode_bulk_inquiry(request.body, {config_.max_xml_bytes});
  } catch (const Error& e) {
    return bulk_refusal(400, o::ProfileError::malformed_request, e.context() + ": " + e.message(), head);
  }
  head.arbitrary_file_identifier = inquiry.header.arbitrary_file_identifier.value_or("");
  if (inquiry.header.medical_institution_code != facility) {
    MockResponse r = bulk_refusal(403, o::ProfileError::facility_mismatch,
                                  "request " + inquiry.header.medical_institution_code + ", certificate " + facility, head);
    r.outcome.refusal = "facility_mismatch";
    return r;
  }
  if (inquiry.inquiries.size() > config_.bulk_max_items) {
    return bulk_refusal(413, o::ProfileError::too_many_items,
                        std::to_string(inquiry.inquiries.size()) + " > " + std::to_string(config_.bulk_max_items), head);
  }

  // Answered now, released later: the result does not depend on when it is fetched.
  o::BulkResult done = head;
  done.segment_of_result = o::SegmentOfResult::normal_end;
  unsigned normal = 0;
  for (const auto& q : inquiry.inquiries) {
    o::BulkItemResult item;
    item.arbitrary_identifier = q.arbitrary_identifier;
    if (const std::string problem = o::insurer_number_problem(q.insurer_number); !problem.empty()) {
      item.processing_result_status = o::ProcessingResultStatus::error;
      item.processing_result_code = std::string(o::to_code(o::ProfileError::insurer_number_invalid));
      item.processing_result_message = "InsurerNumber '" + q.insurer_number + "': " + problem;
      done.items.push_back(std::move(item));
      continue;
    }
    const auto matches = find_qualifications(q.insurer_number, q.insured_card_symbol, q.insured_identification_number,
                                             q.insured_branch_number, q.birthdate);
    o::ConsentChoices consents;
    consents.limit_application_certificate = q.limit_application_certificate_consent;
    for (const population::Patient* p : matches) {
      o::QualificationRecord record = record_of(*p);
      apply_consents(record, *p, consents, now);
      item.results.push_back(std::move(record));
    }
    item.qualification_validity = matches.empty()       ? o::QualificationValidity::no_qualification
                                  : matches.size() == 1 ? validity_of(*matches.front())
                                                        : o::QualificationValidity::multiple;
    ++normal;
    done.items.push_back(std::move(item));
  }
  done.number_of_processing_result = static_cast<unsigned>(done.items.size());
  done.number_of_normal_processing = normal;
  done.number_of_error = static_cast<unsigned>(done.items.size()) - normal;

  o::BulkResult accepted = head;
  accepted.segment_of_result = o::SegmentOfResult::processing;
  {
    const std::lock_guard lock(bulk_mutex_);
    const std::string number = next_reception_number(now);
    accepted.reception_number = done.reception_number = number;
    bulk_jobs_.add(number, {facility, now + config_.bulk_ready_after, std::move(done)}, config_.bulk_jobs_kept);
  }
  MockResponse r = bulk_response(200, accepted);
  r.outcome.consents.push_back("bulk_items=" + std::to_string(inquiry.inquiries.size()));
  return r;
}

MockResponse OnsMockService::bulk_fetch(const MockRequest& request, const std::string& facility) const {
  const WallTime now = config_.clock->wall_now();
  o::BulkResult head;
  head.process_execution_time = format_jst_datetime(now);
  head.medical_institution_code = facility;
  o::BulkFetch fetch;
  try {
    fetch = o::decode_bulk_fetch(request.body, {config_.max_xml_bytes});
  } catch (const Error& e) {
    return bulk_refusal(400, o::ProfileError::malformed_request, e.context() + ": " + e.message(), head);
  }
  head.reception_number = fetch.reception_number;
  if (fetch.medical_institution_code != facility) {
    MockResponse r = bulk_refusal(403, o::ProfileError::facility_mismatch,
                                  "request " + fetch.medical_institution_code + ", certificate " + facility, head);
    r.outcome.refusal = "facility_mismatch";
    return r;
  }
  std::optional<AsyncJobs<o::BulkResult>::Job> job;
  {
    const std::lock_guard lock(bulk_mutex_);
    job = bulk_jobs_.find(fetch.reception_number, facility);
  }
  if (!job) return bulk_refusal(404, o::ProfileError::reception_unknown, fetch.reception_number, head);
  if (now < job->ready_at) {
    o::BulkResult pending = head;
    pending.arbitrary_file_identifier = job->result.arbitrary_file_identifier;
    pending.segment_of_result = o::SegmentOfResult::processing;
    return bulk_response(200, pending);
  }
  o::BulkResult result = std::move(job->result);
  result.process_execution_time = head.process_execution_time;
  return bulk_response(200, result);
}

std::string OnsMockService::next_reception_number(WallTime now) const {
  char number[48];
  std::snprintf(number, sizeof number, "%s%06llu", format_jst_datetime(now).c_str(),
                static_cast<unsigned long long>(++bulk_serial_ % 1'000'000));
  return number;
}

}  // namespace onshi::mocks::ons
