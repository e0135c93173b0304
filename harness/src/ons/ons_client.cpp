#include "onshi/ons/ons_client.hpp"

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

QualificationResult OnsClient::post(const std::string& path, const std::string& xml) {
  if (!http_.is_connected()) connect();
  const tls::HttpResponse response =
      http_.request("POST", path, {{"Content-Type", std::string(kXmlContentType) + "; charset=UTF-8"}}, xml);
  const std::string where = "POST " + path;
  if (response.status != 200) {
    std::string context = where + ": HTTP " + std::to_string(response.status);
    std::optional<QualificationResult> result;
    try {
      result = decode_result(response.body, options_.limits);
      if (result->header.error_code) context += ", ErrorCode " + *result->header.error_code;
      if (result->header.error_message) context += ", ErrorMessage " + *result->header.error_message;
    } catch (const Error&) {
      // Not an XML result (a proxy's HTML page, an empty 404): the status says enough.
    }
    throw OnsStatusError(response.status, "ONS refused the inquiry", context, std::move(result));
  }
  try {
    return decode_result(response.body, options_.limits);
  } catch (const Error& e) {
    throw Error(ErrorCode::protocol, "ONS answered 200 with an undecodable result: " + e.message(),
                where + ": " + e.context());
  }
}

}  // namespace onshi::ons
