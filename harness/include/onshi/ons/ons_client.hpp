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
#include "onshi/ons/interface_profile.hpp"
#include "onshi/ons/qualification_result.hpp"
#include "onshi/ons/search_inquiry.hpp"
#include "onshi/ons/wire_format.hpp"
#include "onshi/ons/wire_profile.hpp"
#include "onshi/ons/xml_codec.hpp"
#include "onshi/tls/https_client.hpp"

namespace onshi::ons {

struct OnsEndpoint {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
};

// The login step's credentials (the JSON field names come from the interface profile).
struct OnsCredentials {
  std::string login_id;
  std::string password;
};

struct OnsClientOptions {
  tls::HttpsClientOptions http;
  OnsEndpoint endpoint;
  // Every path and login field name, and the element names on the wire (a 2025 endpoint's
  // PharmaceuticalInfo…); the codecs keep working on canonical names.
  InterfaceProfile profile = default_interface_profile();
  // How requests are sent (XML UTF-8, XML Shift_JIS, JSON); answers are read by their own
  // Content-Type, whatever they are.
  WireFormat wire;
  XmlLimits limits;
};

// ONS answered with an HTTP status other than 200. code() is protocol; context() carries
// the status and, when the body was a result (in any wire format), its ErrorCode and
// ErrorMessage; for a plain-text answer (404 "no such endpoint"), its first line.
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
  // Bulk 照会番号 registration, the same two phases: submit returns the ReceptionNumber holder,
  // fetch (an OQSmuimm02req, the BulkFetch shape) 2 until ready, then the result.
  ReferenceNumberResult submit(const ReferenceNumberRegistration& registration);
  ReferenceNumberResult fetch_reference_numbers(const BulkFetch& fetch);

  // Optional login: POST the credentials as JSON; later requests carry the idToken in
  // Authorization. Returns the token. Throws OnsStatusError when refused.
  std::string login(const OnsCredentials& credentials);

  tls::HttpsClient& http() { return http_; }
  // The wire format of the last answer read (what the endpoint speaks back); none before one.
  const std::optional<WireFormat>& last_answer_format() const noexcept { return last_answer_format_; }

 private:
  // Sends canonical XML in the configured wire format; a non-200 answer throws via refused();
  // a 200 answer comes back as canonical UTF-8 XML (Error(protocol) if it cannot be).
  std::string exchange(const std::string& path, const std::string& xml);
  tls::HttpResponse post_raw(const std::string& path, const std::string& xml);
  // The answer's body as canonical XML, by its Content-Type. Throws Error(protocol|malformed_input).
  std::string canonical_body(const tls::HttpResponse& response);
  [[noreturn]] void refused(const std::string& path, const tls::HttpResponse& response);
  std::string token_;
  std::optional<WireFormat> last_answer_format_;

  OnsClientOptions options_;
  tls::HttpsClient http_;
};

}  // namespace onshi::ons
