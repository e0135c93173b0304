#include "onshi/ons/ons_client.hpp"

#include <nlohmann/json.hpp>

namespace onshi::ons {

OnsStatusError::OnsStatusError(unsigned status, std::string message, std::string context,
                               std::optional<QualificationResult> result)
    : Error(ErrorCode::protocol, std::move(message), std::move(context)), status_(status), result_(std::move(result)) {}

OnsClient::OnsClient(OnsClientOptions options) : options_(std::move(options)), http_(options_.http) {}

void OnsClient::connect() { http_.connect(options_.endpoint.host, options_.endpoint.port); }

QualificationResult OnsClient::inquire(const CardQualificationInquiry& inquiry) {
  return post(options_.endpoint.card_path, encode_xml(inquiry));
}

QualificationResult OnsClient::inquire(const QualificationSearchInquiry& inquiry) {
  return post(options_.endpoint.search_path, encode_xml(inquiry));
}

tls::HttpResponse OnsClient::post_raw(const std::string& path, const std::string& xml) {
  if (!http_.is_connected()) connect();
  tls::HttpHeaders headers{{"Content-Type", std::string(kXmlContentType) + "; charset=UTF-8"}};
  if (!token_.empty()) headers.push_back({"Authorization", token_});
  return http_.request("POST", path, headers, xml);
}

void OnsClient::refused(const std::string& path, const tls::HttpResponse& response) {
  std::string context = "POST " + path + ": HTTP " + std::to_string(response.status);
  std::optional<QualificationResult> result;
  try {
    result = decode_result(response.body, options_.limits);
  } catch (const Error&) {
    // Not a qualification result (a proxy's HTML page, an empty 404, another message type).
  }
  if (result) {
    if (result->header.error_code) context += ", ErrorCode " + *result->header.error_code;
    if (result->header.error_message) context += ", ErrorMessage " + *result->header.error_message;
  } else {
    // Information and bulk results carry the same header fields; name the code either way.
    const std::size_t at = response.body.find("<ErrorCode>");
    const std::size_t end = response.body.find("</ErrorCode>");
    if (at != std::string::npos && end != std::string::npos && end > at && end - at < 64) {
      context += ", ErrorCode " + response.body.substr(at + 11, end - at - 11);
    }
  }
  throw OnsStatusError(response.status, "ONS refused the inquiry", context, std::move(result));
}

QualificationResult OnsClient::post(const std::string& path, const std::string& xml) {
  const tls::HttpResponse response = post_raw(path, xml);
  if (response.status != 200) refused(path, response);
  try {
    return decode_result(response.body, options_.limits);
  } catch (const Error& e) {
    throw Error(ErrorCode::protocol, "ONS answered 200 with an undecodable result: " + e.message(),
                "POST " + path + ": " + e.context());
  }
}

InformationResult OnsClient::inquire(const InformationRequest& request) {
  const std::string& path =
      request.kind == InformationKind::medication ? options_.endpoint.medication_path : options_.endpoint.checkup_path;
  const tls::HttpResponse response = post_raw(path, encode_xml(request));
  if (response.status != 200) refused(path, response);
  try {
    return decode_information_result(response.body, request.kind, options_.limits);
  } catch (const Error& e) {
    throw Error(ErrorCode::protocol, "ONS answered 200 with an undecodable result: " + e.message(), "POST " + path + ": " + e.context());
  }
}

BulkResult OnsClient::submit(const BulkInquiry& inquiry) {
  const std::string& path = options_.endpoint.bulk_submit_path;
  const tls::HttpResponse response = post_raw(path, encode_xml(inquiry));
  if (response.status != 200) refused(path, response);
  try {
    return decode_bulk_result(response.body, options_.limits);
  } catch (const Error& e) {
    throw Error(ErrorCode::protocol, "ONS answered 200 with an undecodable result: " + e.message(), "POST " + path + ": " + e.context());
  }
}

BulkResult OnsClient::fetch(const BulkFetch& fetch) {
  const std::string& path = options_.endpoint.bulk_fetch_path;
  const tls::HttpResponse response = post_raw(path, encode_xml(fetch));
  if (response.status != 200) refused(path, response);
  try {
    return decode_bulk_result(response.body, options_.limits);
  } catch (const Error& e) {
    throw Error(ErrorCode::protocol, "ONS answered 200 with an undecodable result: " + e.message(), "POST " + path + ": " + e.context());
  }
}

std::string OnsClient::login(const OnsCredentials& credentials) {
  if (!http_.is_connected()) connect();
  const std::string& path = options_.endpoint.login_path;
  const nlohmann::json body = {{credentials.id_field, credentials.login_id}, {credentials.password_field, credentials.password}};
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
                                : std::string();
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
