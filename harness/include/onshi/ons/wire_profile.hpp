#pragma once
// The harness's HTTP profile for ONS inquiries ("onshi-hil card profile 1"): endpoint paths,
// content type, and the ErrorCode values the mock ONS puts into error results. The real
// service's paths and error codes are not public (docs/domain/ons-messages.md); these are ours.
#include <string_view>

#include "onshi/ons/codes.hpp"

namespace onshi::ons {

inline constexpr std::string_view kCardInquiryPath = "/onshi/v1/qualification/card";
inline constexpr std::string_view kSearchInquiryPath = "/onshi/v1/qualification/search";
inline constexpr std::string_view kXmlContentType = "application/xml";
inline constexpr std::string_view kCardProfileName = "onshi-hil card profile 1";

// Why an inquiry was refused; carried as MessageHeader/ErrorCode + ErrorMessage with
// SegmentOfResult 9 and ProcessingResultStatus 2.
enum class ProfileError {
  malformed_request,      // 400: not a decodable request for this endpoint
  facility_mismatch,      // 403: MedicalInstitutionCode is not the terminal certificate's
  certificate_untrusted,  // 403: user-authentication certificate not issued by the JPKI CA
  certificate_expired,    // 403: outside its validity period
  signature_invalid,      // 403: ChallengeSignature does not verify
  challenge_replayed,     // 403: this challenge was already used
  insurer_number_invalid, // 400: InsurerNumber fails its check digit (docs/domain/number-formats.md)
  throttled,              // 429: too many requests; Retry-After says when to come back
  out_of_service,         // 503: maintenance window (サービス時間外)
  internal,               // 500
  unauthenticated,        // 401: login required and no valid token (Authorization header)
  consent_missing,        // 403: no consent on record for this information item
  consent_expired,        // 403: the consent is older than its 24 hours
  no_qualification,       // 404: the card data name no qualification on record
  several_qualifications, // 409: the card data name several; say the 枝番
  reception_unknown,      // 404: no bulk job with this ReceptionNumber for this facility
  too_many_items,         // 413: a bulk inquiry above the mock's per-job limit
};
template <>
struct CodeTable<ProfileError> {
  static constexpr std::string_view name = "ErrorCode";
  static constexpr std::array<CodeEntry<ProfileError>, 17> entries{{
      {ProfileError::malformed_request, "HIL0400", "電文の形式が不正です"},
      {ProfileError::facility_mismatch, "HIL0403", "医療機関コードが端末の電子証明書と一致しません"},
      {ProfileError::certificate_untrusted, "HIL0410", "利用者証明用電子証明書を検証できません"},
      {ProfileError::certificate_expired, "HIL0411", "利用者証明用電子証明書の有効期間外です"},
      {ProfileError::signature_invalid, "HIL0412", "本人確認の署名を検証できません"},
      {ProfileError::challenge_replayed, "HIL0413", "チャレンジが再使用されました"},
      {ProfileError::insurer_number_invalid, "HIL0420", "保険者番号の検証番号が正しくありません"},
      {ProfileError::throttled, "HIL0429", "要求が集中しています。しばらくしてから再度実行してください"},
      {ProfileError::out_of_service, "HIL0503", "サービス提供時間外です"},
      {ProfileError::internal, "HIL0500", "内部エラー"},
      {ProfileError::unauthenticated, "HIL0401", "ログインしていないか、トークンの有効期限が切れています"},
      {ProfileError::consent_missing, "HIL0430", "閲覧に必要な本人の同意がありません"},
      {ProfileError::consent_expired, "HIL0431", "本人の同意の有効期限（24時間）が切れています"},
      {ProfileError::no_qualification, "HIL0440", "該当する資格がありません"},
      {ProfileError::several_qualifications, "HIL0441", "該当する資格が複数あります。枝番を指定してください"},
      {ProfileError::reception_unknown, "HIL0450", "受付番号に該当する一括照会がありません"},
      {ProfileError::too_many_items, "HIL0414", "一括照会の件数が上限を超えています"},
  }};
};

}  // namespace onshi::ons
