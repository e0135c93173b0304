#pragma once
// XML encoding and decoding of the ONS messages; used by both the harness and the mock ONS.
// Encoders write `<?xml version="1.0" encoding="UTF-8" standalone="no"?>` and the elements
// in docs/domain/ons-messages.md order, omitting empty optionals. Decoders accept any element order, and
// throw Error(malformed_input, message, "<element path>") naming the missing or bad element.
// They refuse a DOCTYPE (no entity tricks), non-UTF-8 declarations, invalid UTF-8 and
// input above `max_bytes`.
#include <cstddef>
#include <string>
#include <string_view>

#include "onshi/ons/bulk_inquiry.hpp"
#include "onshi/ons/card_inquiry.hpp"
#include "onshi/ons/information_request.hpp"
#include "onshi/ons/qualification_result.hpp"
#include "onshi/ons/reference_number_registration.hpp"
#include "onshi/ons/search_inquiry.hpp"

namespace onshi::ons {

struct XmlLimits {
  std::size_t max_bytes = std::size_t{1} << 20;  // 1 MiB
};

std::string encode_xml(const CardQualificationInquiry& inquiry);
std::string encode_xml(const QualificationSearchInquiry& inquiry);
std::string encode_xml(const QualificationResult& result);

CardQualificationInquiry decode_card_inquiry(std::string_view xml, const XmlLimits& limits = {});
QualificationSearchInquiry decode_search_inquiry(std::string_view xml, const XmlLimits& limits = {});
QualificationResult decode_result(std::string_view xml, const XmlLimits& limits = {});

// Medication / checkup information (information_request.hpp). The request's kind is not in
// the XML (the file prefix or endpoint says it), so the decoder is told.
std::string encode_xml(const InformationRequest& request);
std::string encode_xml(const InformationResult& result);
InformationRequest decode_information_request(std::string_view xml, InformationKind kind, const XmlLimits& limits = {});
InformationResult decode_information_result(std::string_view xml, InformationKind kind, const XmlLimits& limits = {});

// Bulk inquiries (bulk_inquiry.hpp).
std::string encode_xml(const BulkInquiry& inquiry);
std::string encode_xml(const BulkFetch& fetch);
std::string encode_xml(const BulkResult& result);
BulkInquiry decode_bulk_inquiry(std::string_view xml, const XmlLimits& limits = {});
BulkFetch decode_bulk_fetch(std::string_view xml, const XmlLimits& limits = {});
BulkResult decode_bulk_result(std::string_view xml, const XmlLimits& limits = {});

// Bulk 照会番号 registration (reference_number_registration.hpp); OQSmuimm02req is a BulkFetch.
std::string encode_xml(const ReferenceNumberRegistration& registration);
std::string encode_xml(const ReferenceNumberResult& result);
ReferenceNumberRegistration decode_reference_number_registration(std::string_view xml, const XmlLimits& limits = {});
ReferenceNumberResult decode_reference_number_result(std::string_view xml, const XmlLimits& limits = {});

}  // namespace onshi::ons
