#pragma once
// The card-path qualification inquiry: the terminal proves the patient's card is present by
// sending the card's user-authentication certificate, a challenge and the card's signature
// over it, plus the patient's consent choices.
//
// The real card-path wire format is not public. This is the harness's own profile,
// "onshi-hil card profile 1": XmlMsg/MessageHeader as for OQSsiquc01req, and
// XmlMsg/MessageBody/CardQualificationConfirmInfo{
//   UserAuthenticationCertificate  base64 DER X.509 (JPKI 利用者証明用電子証明書)
//   Challenge                      base64, 16..64 bytes, fresh per inquiry
//   ChallengeSignature             base64 RSA PKCS#1 v1.5 over SHA-256(Challenge bytes)
//   PharmacistsInfoConsFlg? SpecificHealthCheckupsInfoConsFlg? DiagnosisInfoConsFlg?
//   OperationInfoConsFlg? LimitApplicationCertificateRelatedConsFlg?   (0/1; absent = not asked)
// }
#include <optional>

#include "onshi/core/bytes.hpp"
#include "onshi/ons/codes.hpp"
#include "onshi/ons/message_header.hpp"

namespace onshi::ons {

// The consent screens' answers; an item the terminal did not ask about stays empty.
struct ConsentChoices {
  std::optional<ConsentFlag> pharmacists_info;
  std::optional<ConsentFlag> specific_health_checkups_info;
  std::optional<ConsentFlag> diagnosis_info;
  std::optional<ConsentFlag> operation_info;
  std::optional<ConsentFlag> limit_application_certificate;

  bool operator==(const ConsentChoices&) const = default;
};

struct CardQualificationInquiry {
  RequestHeader header;
  Bytes user_authentication_certificate;  // DER
  Bytes challenge;
  Bytes challenge_signature;
  ConsentChoices consents;

  bool operator==(const CardQualificationInquiry&) const = default;
};

inline constexpr std::size_t kMinChallengeBytes = 16;
inline constexpr std::size_t kMaxChallengeBytes = 64;

}  // namespace onshi::ons
