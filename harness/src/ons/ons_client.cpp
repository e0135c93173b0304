#include "onshi/ons/ons_client.hpp"

#include <nlohmann/json.hpp>

#include "xml_support.hpp"

namespace onshi::ons {
namespace {

// A decoder's complaint about a 200 answer is the peer breaking the protocol, not a bad input of ours.
template <typename Decode>
auto decoded(const std::string& path, Decode&& decode) -> decltype(decode()) {
  try {
    return decode();
  } catch (const Error& e) {
    throw Error(ErrorCode::protocol, "ONS answered 200 with an undecodable result: " + e.message(),
                "POST " + path + ": " + e.context());
  }
}

// The first line of a plain-text refusal ("no such endpoint: /x" when the profile's paths are
// not the endpoint's), so the error says why without a packet capture.
std::string plain_text_hint(const tls::HttpResponse& response) {
  const std::optional<std::string> type = response.header("Content-Type");
  if (!type || type->rfind("text/plain", 0) != 0) return {};
  // Cut between characters, peer control bytes and broken UTF-8 made '?': the hint goes into
  // errors that records and reports encode as JSON or XML, which refuse a split character.
  std::string_view line = std::string_view(response.body).substr(0, response.body.find('\n'));
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return detail::excerpt(line, 160);
}

// An information, bulk or 照会番号 refusal as the error result it amounts to (the header fields
// they share), so a caller relays the ONS's own ErrorCode whatever the endpoint.
template <class Result>
std::optional<QualificationResult> as_error_result(const Result& r) {
  if (!r.error_code) return std::nullopt;
  QualificationResult q;
  q.header.process_execution_time = r.process_execution_time;
  q.header.qualification_confirmation_date = r.process_execution_time.substr(0, 8);
  q.header.medical_institution_code = r.medical_institution_code;
  q.header.arbitrary_file_identifier = r.arbitrary_file_identifier;
  q.header.reference_classification = ReferenceClassification::insurance_card_info;
  q.header.segment_of_result = r.segment_of_result;
  q.header.error_code = r.error_code;
  q.header.error_message = r.error_message;
  q.header.character_code_identifier = r.character_code_identifier;
  q.body.processing_result_status = r.processing_result_status;
  return q;
}

template <class Decode>
std::optional<QualificationResult> refusal_as(const Decode& decode) {
  try {
    return as_error_result(decode());
  } catch (const Error&) {
    return std::nullopt;
  }
}

}  // namespace

OnsStatusError::OnsStatusError(unsigned status, std::string message, std::string context,
                               std::optional<QualificationResult> result)
    : Error(ErrorCode::protocol, std::move(message), std::move(context)), status_(status), result_(std::move(result)) {}

OnsClient::OnsClient(OnsClientOptions options) : options_(std::move(options)), http_(options_.http) {}

void OnsClient::connect() { http_.connect(options_.endpoint.host, options_.endpoint.port); }

QualificationResult OnsClient::inquire(const CardQualificationInquiry& inquiry) {
  const std::string& path = options_.profile.paths.card;
  const std::string xml = exchange(path, encode_xml(inquiry));
  return decoded(path, [&] { return decode_result(xml, options_.limits); });
}

QualificationResult OnsClient::inquire(const QualificationSearchInquiry& inquiry) {
  const std::string& path = options_.profile.paths.search;
  const std::string xml = exchange(path, encode_xml(inquiry));
  return decoded(path, [&] { return decode_result(xml, options_.limits); });
}

InformationResult OnsClient::inquire(const InformationRequest& request) {
  const std::string& path =
      request.kind == InformationKind::medication ? options_.profile.paths.medication : options_.profile.paths.checkup;
  const std::string xml = exchange(path, encode_xml(request));
  return decoded(path, [&] { return decode_information_result(xml, request.kind, options_.limits); });
}

BulkResult OnsClient::submit(const BulkInquiry& inquiry) {
  const std::string& path = options_.profile.paths.bulk_submit;
  const std::string xml = exchange(path, encode_xml(inquiry));
  return decoded(path, [&] { return decode_bulk_result(xml, options_.limits); });
}

BulkResult OnsClient::fetch(const BulkFetch& fetch) {
  const std::string& path = options_.profile.paths.bulk_fetch;
  const std::string xml = exchange(path, encode_xml(fetch));
  return decoded(path, [&] { return decode_bulk_result(xml, options_.limits); });
}

ReferenceNumberResult OnsClient::submit(const ReferenceNumberRegistration& registration) {
  const std::string& path = options_.profile.paths.reference_submit;
  const std::string xml = exchange(path, encode_xml(registration));
  return decoded(path, [&] { return decode_reference_number_result(xml, options_.limits); });
}

ReferenceNumberResult OnsClient::fetch_reference_numbers(const BulkFetch& fetch) {
  const std::string& path = options_.profile.paths.reference_fetch;
  const std::string xml = exchange(path, encode_xml(fetch));
  return decoded(path, [&] { return decode_reference_number_result(xml, options_.limits); });
}

std::string OnsClient::exchange(const std::string& path, const std::string& xml) {
  const tls::HttpResponse response = post_raw(path, xml);
  if (response.status != 200) refused(path, response);
  return decoded(path, [&] { return canonical_body(response); });
}

tls::HttpResponse OnsClient::post_raw(const std::string& path, const std::string& xml) {
  // Canonical UTF-8 XML is already the wire form of the built-in profile: no copy, no scan.
  const bool canonical = options_.wire == WireFormat{} && options_.profile.outbound.empty();
  std::string wire;
  if (!canonical) {
    try {
      wire = from_canonical(xml, options_.wire, options_.profile.outbound);
    } catch (const Error& e) {
      // e.g. a character with no Shift_JIS form: this request cannot be sent as configured.
      throw Error(e.code(), e.message(), "POST " + path + ": " + e.context());
    }
  }
  if (!http_.is_connected()) connect();
  tls::HttpHeaders headers{{"Content-Type", content_type_for(options_.wire)}};
  if (!token_.empty()) headers.push_back({"Authorization", token_});
  return http_.request("POST", path, headers, canonical ? xml : wire);
}

std::string OnsClient::canonical_body(const tls::HttpResponse& response) {
  const std::optional<std::string> type = response.header("Content-Type");
  // Without a Content-Type, take the answer to be in the syntax it was asked in.
  const std::optional<WireSyntax> syntax = type ? wire_syntax_of(*type) : options_.wire.syntax;
  if (!syntax) throw Error(ErrorCode::protocol, "answer is '" + *type + "', not XML or JSON", "Content-Type");
  CanonicalMessage message = to_canonical(response.body, *syntax, options_.profile.inbound, options_.limits);
  last_answer_format_ = message.format;
  return std::move(message.xml);
}

void OnsClient::refused(const std::string& path, const tls::HttpResponse& response) {
  std::string context = "POST " + path + ": HTTP " + std::to_string(response.status);
  std::optional<std::string> xml;
  try {
    xml = canonical_body(response);
  } catch (const Error&) {
    // Not a message at all (an empty 404, text/plain, a proxy's HTML page).
  }
  std::optional<QualificationResult> result;
  if (xml) {
    try {
      result = decode_result(*xml, options_.limits);
    } catch (const Error&) {
      // Not a qualification result (an information or bulk result, or no message).
    }
    if (!result) result = refusal_as([&] { return decode_information_result(*xml, InformationKind::medication, options_.limits); });
    if (!result) result = refusal_as([&] { return decode_bulk_result(*xml, options_.limits); });
    if (!result) result = refusal_as([&] { return decode_reference_number_result(*xml, options_.limits); });
  }
  if (result) {
    if (result->header.error_code) context += ", ErrorCode " + *result->header.error_code;
    if (result->header.error_message) context += ", ErrorMessage " + *result->header.error_message;
  } else if (xml) {
    // Information and bulk results carry the same header fields; name the code either way.
    const std::size_t at = xml->find("<ErrorCode>");
    const std::size_t end = xml->find("</ErrorCode>");
    if (at != std::string::npos && end != std::string::npos && end > at && end - at < 64) {
      context += ", ErrorCode " + xml->substr(at + 11, end - at - 11);
    }
  }
  if (!result) {
    if (const std::string hint = plain_text_hint(response); !hint.empty()) context += ", " + hint;
  }
  throw OnsStatusError(response.status, "ONS refused the inquiry", context, std::move(result));
}

std::string OnsClient::login(const OnsCredentials& credentials) {
  if (!http_.is_connected()) connect();
  const std::string& path = options_.profile.paths.login;
  const nlohmann::json body = {{options_.profile.login_id_field, credentials.login_id},
                               {options_.profile.password_field, credentials.password}};
  const tls::HttpResponse response =
      http_.request("POST", path, {{"Content-Type", "application/json;charset=UTF-8"}}, body.dump());
  const std::string where = "POST " + path;
  nlohmann::json answer;
  try {
    answer = nlohmann::json::parse(response.body);
  } catch (const nlohmann::json::exception&) {
    answer = nullptr;
  }
  if (response.status != 200) {
    const std::string msg = answer.is_object() && answer.contains("msg") && answer["msg"].is_string()
                                ? answer["msg"].get<std::string>()
                                : plain_text_hint(response);
    throw OnsStatusError(response.status, "ONS refused the login", where + ": HTTP " + std::to_string(response.status) + (msg.empty() ? "" : ", " + msg), std::nullopt);
  }
  if (!answer.is_object() || !answer.contains("result") || !answer["result"].is_object() ||
      !answer["result"].contains("idToken") || !answer["result"]["idToken"].is_string()) {
    throw Error(ErrorCode::protocol, "login answer has no result.idToken", where);
  }
  token_ = answer["result"]["idToken"].get<std::string>();
  return token_;
}

}  // namespace onshi::ons
