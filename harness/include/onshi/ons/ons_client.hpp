#pragma once
// The ons-client layer: sends inquiries to an ONS endpoint (the mock, or a site's
// verification environment) over HTTPS with the terminal certificate, decodes the result.
#include <cstdint>
#include <optional>
#include <string>

#include "onshi/core/error.hpp"
#include "onshi/ons/bulk_inquiry.hpp"
#include "onshi/ons/card_inquiry.hpp"
#include "onshi/ons/information_request.hpp"
#include "onshi/ons/qualification_result.hpp"
#include "onshi/ons/search_inquiry.hpp"
#include "onshi/ons/wire_profile.hpp"
#include "onshi/ons/xml_codec.hpp"
#include "onshi/tls/https_client.hpp"

namespace onshi::ons {

struct OnsEndpoint {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string card_path{kCardInquiryPath};
  std::string search_path{kSearchInquiryPath};
  // The rest of the interface profile's paths (interface_profile.hpp defaults).
  std::string medication_path = "/onshi/v1/information/medication";
  std::string checkup_path = "/onshi/v1/information/checkup";
  std::string bulk_submit_path = "/onshi/v1/bulk/qualification";
  std::string bulk_fetch_path = "/onshi/v1/bulk/qualification/result";
  std::string login_path = "/oqs-api-pro/MSA12020/ILI12020SV01/auth";
};

// The login step's credentials (JSON field names from the interface profile).
struct OnsCredentials {
  std::string login_id;
  std::string password;
  std::string id_field = "loginId";
  std::string password_field = "password";
};

struct OnsClientOptions {
  tls::HttpsClientOptions http;
  OnsEndpoint endpoint;
  XmlLimits limits;
};

// ONS answered with an HTTP status other than 200. code() is protocol; context() carries
// the status and, when the body was an XML result, its ErrorCode and ErrorMessage.
class OnsStatusError : public Error {
 public:
  OnsStatusError(unsigned status, std::string message, std::string context, std::optional<QualificationResult> result);
  unsigned http_status() const noexcept { return status_; }
  const std::optional<QualificationResult>& result() const noexcept { return result_; }

 private:
  unsigned status_;
  std::optional<QualificationResult> result_;
};

class OnsClient {
 public:
  explicit OnsClient(OnsClientOptions options);

  // Connects eagerly (the first inquiry would otherwise pay the handshake).
  void connect();
  // Throw OnsStatusError for a non-200 answer, Error(protocol) for a 200 whose body is not a
  // result, and the HTTPS client's Error(tls|timeout|io) for transport failures.
  QualificationResult inquire(const CardQualificationInquiry& inquiry);
  QualificationResult inquire(const QualificationSearchInquiry& inquiry);
  // Medication / checkup information; a refusal (no consent, lapsed) is an OnsStatusError
  // whose context names the ErrorCode.
  InformationResult inquire(const InformationRequest& request);
  // Bulk: submit returns the ReceptionNumber holder (SegmentOfResult 2); fetch returns 2
  // until ready, then the result. Callers poll fetch with their own bounded wait.
  BulkResult submit(const BulkInquiry& inquiry);
  BulkResult fetch(const BulkFetch& fetch);

  // Optional login: POST the credentials as JSON; later requests carry the idToken in
  // Authorization. Returns the token. Throws OnsStatusError when refused.
  std::string login(const OnsCredentials& credentials);

  tls::HttpsClient& http() { return http_; }

 private:
  QualificationResult post(const std::string& path, const std::string& xml);
  tls::HttpResponse post_raw(const std::string& path, const std::string& xml);
  [[noreturn]] void refused(const std::string& path, const tls::HttpResponse& response);
  std::string token_;

  OnsClientOptions options_;
  tls::HttpsClient http_;
};

}  // namespace onshi::ons
