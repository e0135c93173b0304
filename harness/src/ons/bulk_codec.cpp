// XML codec of the two-phase bulk qualification inquiry (OQSmuquc01req / 02req and results).
#include <charconv>

#include "onshi/ons/xml_codec.hpp"
#include "xml_support.hpp"

namespace onshi::ons {
namespace detail {

std::optional<unsigned> optional_count(const Element& parent, std::string_view name) {
  const auto e = parent.optional_child(name);
  if (!e) return std::nullopt;
  const std::string v = e->text();
  unsigned n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc{} || end != v.data() + v.size()) e->fail("expected a count, got '" + detail::excerpt(v, 40) + "'");
  return n;
}

void add_count(detail::XmlNode parent, std::string_view name, const std::optional<unsigned>& n) {
  if (n) detail::add_text(parent, name, std::to_string(*n));
}

std::string required_reception_number(const Element& h) {
  const Element e = h.child("ReceptionNumber");
  std::string v = e.text();
  if (v.empty() || v.size() > 32 || v.find_first_not_of("0123456789") != std::string::npos) {
    e.fail("expected a reception number (digits), got '" + detail::excerpt(v, 40) + "'");
  }
  return v;
}

}  // namespace detail

using detail::Element;
using detail::add_count;
using detail::optional_count;

std::string encode_xml(const BulkInquiry& inquiry) {
  detail::MessageWriter w;
  detail::write_request_header(w.root(), inquiry.header);
  detail::XmlNode body = detail::add_element(w.root(), "MessageBody");
  for (const auto& q : inquiry.inquiries) detail::write_search_info(body, q);
  return w.str();
}

BulkInquiry decode_bulk_inquiry(std::string_view xml, const XmlLimits& limits) {
  const detail::ParsedMessage message(xml, limits);
  const Element root = message.root();
  BulkInquiry inquiry;
  inquiry.header = detail::read_request_header(root);
  const Element body = root.child("MessageBody");
  for (const Element& info : body.children("QualificationConfirmSearchInfo")) {
    QualificationSearchInquiry q = detail::read_search_info(info);
    q.header = inquiry.header;
    inquiry.inquiries.push_back(std::move(q));
  }
  if (inquiry.inquiries.empty()) body.fail("no QualificationConfirmSearchInfo");
  return inquiry;
}

std::string encode_xml(const BulkFetch& fetch) {
  detail::MessageWriter w;
  detail::XmlNode h = detail::add_element(w.root(), "MessageHeader");
  detail::add_text(h, "MedicalInstitutionCode", fetch.medical_institution_code);
  detail::add_text(h, "ReceptionNumber", fetch.reception_number);
  return w.str();
}

BulkFetch decode_bulk_fetch(std::string_view xml, const XmlLimits& limits) {
  const detail::ParsedMessage message(xml, limits);
  const Element h = message.root().child("MessageHeader");
  return BulkFetch{detail::required_medical_institution_code(h), detail::required_reception_number(h)};
}

std::string encode_xml(const BulkResult& r) {
  detail::MessageWriter w;
  detail::XmlNode h = detail::add_element(w.root(), "MessageHeader");
  detail::add_text(h, "ProcessExecutionTime", r.process_execution_time);
  detail::add_text(h, "MedicalInstitutionCode", r.medical_institution_code);
  detail::add_text(h, "ArbitraryFileIdentifier", r.arbitrary_file_identifier);
  detail::add_code(h, "ReferenceClassification", ReferenceClassification::insurance_card_info);
  detail::add_text(h, "ReceptionNumber", r.reception_number);
  detail::add_code(h, "SegmentOfResult", r.segment_of_result);
  detail::add_text(h, "ErrorCode", r.error_code);
  detail::add_text(h, "ErrorMessage", r.error_message);
  detail::add_code(h, "CharacterCodeIdentifier", r.character_code_identifier);
  add_count(h, "NumberOfProcessingResult", r.number_of_processing_result);
  add_count(h, "NumberOfNormalProcessing", r.number_of_normal_processing);
  add_count(h, "NumberOfError", r.number_of_error);
  detail::XmlNode b = detail::add_element(w.root(), "MessageBody");
  detail::add_code(b, "ProcessingResultStatus", r.processing_result_status);
  if (!r.items.empty()) {
    detail::XmlNode list = detail::add_element(b, "QualificationConfirmResultList");
    for (const auto& item : r.items) {
      detail::XmlNode n = detail::add_element(list, "QualificationConfirmResult");
      detail::add_text(n, "ArbitraryIdentifier", item.arbitrary_identifier);
      detail::add_code(n, "ProcessingResultStatus", item.processing_result_status);
      detail::add_text(n, "ProcessingResultCode", item.processing_result_code);
      detail::add_text(n, "ProcessingResultMessage", item.processing_result_message);
      detail::add_code(n, "QualificationValidity", item.qualification_validity);
      if (!item.results.empty()) {
        detail::XmlNode results = detail::add_element(n, "ResultList");
        for (const auto& rec : item.results) detail::write_result_record(results, rec);
      }
    }
  }
  return w.str();
}

BulkResult decode_bulk_result(std::string_view xml, const XmlLimits& limits) {
  const detail::ParsedMessage message(xml, limits);
  const Element root = message.root();
  BulkResult r;
  const Element h = root.child("MessageHeader");
  r.process_execution_time = detail::required_datetime(h, "ProcessExecutionTime");
  r.medical_institution_code = detail::required_medical_institution_code(h);
  r.arbitrary_file_identifier = h.optional_text("ArbitraryFileIdentifier").value_or("");
  r.segment_of_result = h.code<SegmentOfResult>("SegmentOfResult");
  r.error_code = h.optional_text("ErrorCode");
  r.error_message = h.optional_text("ErrorMessage");
  if (!r.error_code) r.reception_number = detail::required_reception_number(h);
  else r.reception_number = h.optional_text("ReceptionNumber").value_or("");
  r.character_code_identifier = h.code<CharacterCodeIdentifier>("CharacterCodeIdentifier");
  r.number_of_processing_result = optional_count(h, "NumberOfProcessingResult");
  r.number_of_normal_processing = optional_count(h, "NumberOfNormalProcessing");
  r.number_of_error = optional_count(h, "NumberOfError");
  const Element b = root.child("MessageBody");
  r.processing_result_status = b.code<ProcessingResultStatus>("ProcessingResultStatus");
  if (const auto list = b.optional_child("QualificationConfirmResultList")) {
    for (const Element& n : list->children("QualificationConfirmResult")) {
      BulkItemResult item;
      item.arbitrary_identifier = n.optional_text("ArbitraryIdentifier");
      item.processing_result_status = n.code<ProcessingResultStatus>("ProcessingResultStatus");
      item.processing_result_code = n.optional_text("ProcessingResultCode");
      item.processing_result_message = n.optional_text("ProcessingResultMessage");
      item.qualification_validity = n.optional_code<QualificationValidity>("QualificationValidity");
      if (const auto results = n.optional_child("ResultList")) {
        for (const Element& rec : results->children("ResultOfQualificationConfirmation")) {
          item.results.push_back(detail::read_result_record(rec));
        }
      }
      r.items.push_back(std::move(item));
    }
  }
  if (r.segment_of_result == SegmentOfResult::normal_end && !r.error_code && !r.number_of_processing_result) {
    h.child("NumberOfProcessingResult");  // a finished bulk result must count its items
  }
  if (r.number_of_processing_result && *r.number_of_processing_result != r.items.size()) {
    h.child("NumberOfProcessingResult").fail("says " + std::to_string(*r.number_of_processing_result) + " but " +
                                             std::to_string(r.items.size()) + " results follow");
  }
  return r;
}

}  // namespace onshi::ons
