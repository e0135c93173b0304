#pragma once
// Private helpers of the mock ONS's request handlers (ons_mock_service.cpp, mock_*.cpp):
// plain-text answers, result headers and ONS-style error results.
#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include "onshi/core/clock.hpp"
#include "onshi/core/error.hpp"
#include "onshi/mocks/ons/ons_mock_service.hpp"
#include "onshi/ons/xml_codec.hpp"
#include "peer_text.hpp"

namespace onshi::mocks::ons::support {
namespace o = onshi::ons;

inline MockResponse plain(unsigned status, std::string text) {
  MockResponse r;
  r.status = status;
  r.content_type = "text/plain; charset=UTF-8";
  r.body = std::move(text) + "\n";
  return r;
}

inline bool is_facility_code(std::string_view s) {
  return s.size() == 10 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Everything a result header echoes; for undecodable requests only what the TLS layer knows.
struct Echo {
  std::string date;
  std::string facility;
  std::string file_identifier;
};

inline o::ResultHeader result_header(const Echo& echo, o::ReferenceClassification reference, WallTime now) {
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

inline MockResponse xml_response(unsigned status, const o::QualificationResult& result) {
  MockResponse r;
  r.status = status;
  r.content_type = std::string(o::kXmlContentType) + "; charset=UTF-8";
  r.body = o::encode_xml(result);
  return r;
}

// ErrorMessage of a refusal: the profile's label, then what exactly was wrong.
inline std::string refusal_message(o::ProfileError error, const std::string& detail) {
  std::string message(o::label(error));
  // The detail often quotes the request (a decoder's excerpt, a JSON parser's last token):
  // valid UTF-8 before it goes into XML or JSON (peer_text.hpp).
  if (!detail.empty()) message += " (" + onshi::mocks::ons::detail::valid_utf8(detail) + ")";
  return message;
}

inline MockResponse refusal(unsigned status, o::ProfileError error, const std::string& detail, const Echo& echo,
                     o::ReferenceClassification reference, WallTime now) {
  o::QualificationResult result;
  result.header = result_header(echo, reference, now);
  result.header.segment_of_result = o::SegmentOfResult::abnormal_end;
  result.header.error_code = std::string(o::to_code(error));
  result.header.error_message = refusal_message(error, detail);
  result.body.processing_result_status = o::ProcessingResultStatus::error;
  MockResponse r = xml_response(status, result);
  r.outcome.error = error;
  return r;
}

// Decodes an inquiry and checks that its header names the certificate's facility. On success
// `inquiry` and `echo` are filled and nullopt is returned; otherwise the refusal to send.
template <class Inquiry, class Decode>
std::optional<MockResponse> decode_for_facility(const std::string& body, Decode decode, const std::string& facility,
                                                o::ReferenceClassification reference, WallTime now, Inquiry& inquiry,
                                                Echo& echo) {
  echo = {format_jst_date(now), facility, ""};
  try {
    inquiry = decode(body);
  } catch (const Error& e) {
    return refusal(400, o::ProfileError::malformed_request, e.context() + ": " + e.message(), echo, reference, now);
  }
  echo = {inquiry.header.qualification_confirmation_date, inquiry.header.medical_institution_code,
          inquiry.header.arbitrary_file_identifier.value_or("")};
  if (inquiry.header.medical_institution_code != facility) {
    MockResponse r = refusal(403, o::ProfileError::facility_mismatch,
                             "request " + inquiry.header.medical_institution_code + ", certificate " + facility, echo,
                             reference, now);
    r.outcome.refusal = "facility_mismatch";
    return r;
  }
  return std::nullopt;
}

inline std::string normalise_insurer(std::string_view n) {
  // "  138149", "00138149" and "138149" name the same 国保 insurer.
  const std::size_t first = n.find_first_not_of(" 0");
  return first == std::string_view::npos ? std::string() : std::string(n.substr(first));
}

}  // namespace onshi::mocks::ons::support
