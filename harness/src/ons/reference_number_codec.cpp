// XML codec of the bulk 照会番号 registration (OQSmuimm01req and its results; the fetch,
// OQSmuimm02req, is a BulkFetch). The element names are inferred: see
// onshi/ons/reference_number_registration.hpp.
#include <algorithm>

#include "onshi/ons/xml_codec.hpp"
#include "xml_support.hpp"

namespace onshi::ons {
namespace {

using detail::Element;
using detail::add_count;
using detail::optional_count;

std::string reference_number(const Element& parent) {
  const Element e = parent.child("ReferenceNumber");
  std::string v = e.text();
  const bool alphanumeric = std::all_of(v.begin(), v.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  });
  if (v.empty() || v.size() > 20 || !alphanumeric) {
    e.fail("expected a 照会番号 of 1..20 half-width letters and digits, got '" + detail::excerpt(v, 40) + "'");
  }
  return v;
}

}  // namespace

std::string encode_xml(const ReferenceNumberRegistration& registration) {
  detail::MessageWriter w;
  detail::write_request_header(w.root(), registration.header);
  detail::XmlNode body = detail::add_element(w.root(), "MessageBody");
  for (const auto& entry : registration.entries) {
    detail::XmlNode info = detail::add_element(body, "ReferenceNumberRegistrationInfo");
    detail::add_text(info, "InsurerNumber", entry.insurer_number);
    detail::add_text(info, "InsuredCardSymbol", entry.insured_card_symbol);
    detail::add_text(info, "InsuredIdentificationNumber", entry.insured_identification_number);
    detail::add_text(info, "InsuredBranchNumber", entry.insured_branch_number);
    detail::add_text(info, "Birthdate", entry.birthdate);
    detail::add_text(info, "ReferenceNumber", entry.reference_number);
    detail::add_text(info, "ArbitraryIdentifier", entry.arbitrary_identifier);
  }
  return w.str();
}

ReferenceNumberRegistration decode_reference_number_registration(std::string_view xml, const XmlLimits& limits) {
  const detail::ParsedMessage message(xml, limits);
  const Element root = message.root();
  ReferenceNumberRegistration registration;
  registration.header = detail::read_request_header(root);
  const Element body = root.child("MessageBody");
  for (const Element& info : body.children("ReferenceNumberRegistrationInfo")) {
    ReferenceNumberEntry entry;
    entry.insurer_number = detail::required_insurer_number(info);
    entry.insured_card_symbol = info.optional_text("InsuredCardSymbol");
    entry.insured_identification_number = info.text("InsuredIdentificationNumber");
    if (entry.insured_identification_number.empty()) info.child("InsuredIdentificationNumber").fail("empty value");
    entry.insured_branch_number = info.optional_text("InsuredBranchNumber");
    entry.birthdate = detail::required_date(info, "Birthdate");
    entry.reference_number = reference_number(info);
    entry.arbitrary_identifier = info.optional_text("ArbitraryIdentifier");
    registration.entries.push_back(std::move(entry));
  }
  if (registration.entries.empty()) body.fail("no ReferenceNumberRegistrationInfo");
  return registration;
}

std::string encode_xml(const ReferenceNumberResult& r) {
  detail::MessageWriter w;
  detail::XmlNode h = detail::add_element(w.root(), "MessageHeader");
  detail::add_text(h, "ProcessExecutionTime", r.process_execution_time);
  detail::add_text(h, "MedicalInstitutionCode", r.medical_institution_code);
  detail::add_text(h, "ArbitraryFileIdentifier", r.arbitrary_file_identifier);
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
    detail::XmlNode list = detail::add_element(b, "ReferenceNumberRegistrationResultList");
    for (const auto& item : r.items) {
      detail::XmlNode n = detail::add_element(list, "ReferenceNumberRegistrationResult");
      detail::add_text(n, "ArbitraryIdentifier", item.arbitrary_identifier);
      detail::add_code(n, "ProcessingResultStatus", item.processing_result_status);
      detail::add_text(n, "ProcessingResultCode", item.processing_result_code);
      detail::add_text(n, "ProcessingResultMessage", item.processing_result_message);
      detail::add_text(n, "ReferenceNumber", item.reference_number);
    }
  }
  return w.str();
}

ReferenceNumberResult decode_reference_number_result(std::string_view xml, const XmlLimits& limits) {
  const detail::ParsedMessage message(xml, limits);
  const Element root = message.root();
  ReferenceNumberResult r;
  const Element h = root.child("MessageHeader");
  r.process_execution_time = detail::required_datetime(h, "ProcessExecutionTime");
  r.medical_institution_code = detail::required_medical_institution_code(h);
  r.arbitrary_file_identifier = h.optional_text("ArbitraryFileIdentifier").value_or("");
  r.segment_of_result = h.code<SegmentOfResult>("SegmentOfResult");
  r.error_code = h.optional_text("ErrorCode");
  r.error_message = h.optional_text("ErrorMessage");
  r.reception_number = r.error_code ? h.optional_text("ReceptionNumber").value_or("") : detail::required_reception_number(h);
  r.character_code_identifier = h.code<CharacterCodeIdentifier>("CharacterCodeIdentifier");
  r.number_of_processing_result = optional_count(h, "NumberOfProcessingResult");
  r.number_of_normal_processing = optional_count(h, "NumberOfNormalProcessing");
  r.number_of_error = optional_count(h, "NumberOfError");
  const Element b = root.child("MessageBody");
  r.processing_result_status = b.code<ProcessingResultStatus>("ProcessingResultStatus");
  if (const auto list = b.optional_child("ReferenceNumberRegistrationResultList")) {
    for (const Element& n : list->children("ReferenceNumberRegistrationResult")) {
      ReferenceNumberItemResult item;
      item.arbitrary_identifier = n.optional_text("ArbitraryIdentifier");
      item.processing_result_status = n.code<ProcessingResultStatus>("ProcessingResultStatus");
      item.processing_result_code = n.optional_text("ProcessingResultCode");
      item.processing_result_message = n.optional_text("ProcessingResultMessage");
      item.reference_number = reference_number(n);
      r.items.push_back(std::move(item));
    }
  }
  if (r.segment_of_result == SegmentOfResult::normal_end && !r.error_code && !r.number_of_processing_result) {
    h.child("NumberOfProcessingResult");  // a finished result must count its items
  }
  if (r.number_of_processing_result && *r.number_of_processing_result != r.items.size()) {
    h.child("NumberOfProcessingResult").fail("says " + std::to_string(*r.number_of_processing_result) + " but " +
                                             std::to_string(r.items.size()) + " results follow");
  }
  return r;
}

}  // namespace onshi::ons
