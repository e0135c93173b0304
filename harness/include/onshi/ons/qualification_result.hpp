#pragma once
// The qualification result (…res files, face files, and the mock ONS's answers):
// XmlMsg/MessageHeader + MessageBody{status, validity, ResultList/ResultOfQualificationConfirmation*}.
// Optional members are omitted on the wire when empty.
#include <optional>
#include <string>
#include <vector>

#include "onshi/ons/codes.hpp"
#include "onshi/ons/message_header.hpp"

namespace onshi::ons {

// One consent item as ONS reports it: the flag, and when consented, the time it was given
// and the time it lapses (ConsTime + 24 h). Limit-certificate consent has no AvailableTime.
struct ConsentRecord {
  ConsentFlag flag = ConsentFlag::not_consented;
  std::optional<std::string> cons_time;       // YYYYMMDDHHmmss
  std::optional<std::string> available_time;  // YYYYMMDDHHmmss

  bool operator==(const ConsentRecord&) const = default;
};

struct LimitApplicationCertificateInfo {
  LimitApplicationCertificateClassification classification = LimitApplicationCertificateClassification::limit;
  ClassificationFlag classification_flag = ClassificationFlag::a01;
  std::string date;              // 交付年月日
  std::string valid_start_date;  // 有効開始年月日
  std::string valid_end_date;    // 有効終了年月日
  std::optional<std::string> long_term_date;

  bool operator==(const LimitApplicationCertificateInfo&) const = default;
};

// 高齢受給者証 (70–74).
struct ElderlyRecipientCertificateInfo {
  std::optional<std::string> date;  // ElderlyRecipientCertificateDate 交付年月日
  std::string valid_start_date;
  std::string valid_end_date;
  std::string contribution_ratio;  // "020" = 20 %

  bool operator==(const ElderlyRecipientCertificateInfo&) const = default;
};

// One 特定疾病療養受療証 (SpecificDiseasesCertificateList/SpecificDiseasesCertificateInfo).
struct SpecificDiseasesCertificateInfo {
  SpecificDiseasesDiseaseCategory disease_category = SpecificDiseasesDiseaseCategory::dialysis;
  std::optional<std::string> certificate_date;
  std::string valid_start_date;
  std::optional<std::string> valid_end_date;
  std::optional<std::string> self_pay;  // 自己負担限度額, yen

  bool operator==(const SpecificDiseasesCertificateInfo&) const = default;
};

// 特定疾病 consent: its own three-valued flag (なし/あり/有効期限切れ) and ConsTime.
struct SpecificDiseasesConsentRecord {
  SpecificDiseasesConsent flag = SpecificDiseasesConsent::none;
  std::optional<std::string> cons_time;

  bool operator==(const SpecificDiseasesConsentRecord&) const = default;
};

// ResultOfQualificationConfirmation: one insurance qualification of the patient.
struct QualificationRecord {
  InsuredCardClassification insured_card_classification = InsuredCardClassification::insured_general;
  std::string insurer_number;
  std::optional<std::string> insured_card_symbol;
  std::string insured_identification_number;
  std::optional<std::string> insured_branch_number;
  PersonalFamilyClassification personal_family_classification = PersonalFamilyClassification::insured_person;
  std::optional<std::string> insured_name;  // 世帯主
  std::string name;
  std::optional<std::string> name_kana;  // half-width katakana
  Sex sex1 = Sex::unset;
  std::string birthdate;
  std::optional<std::string> address;
  std::optional<std::string> post_number;
  std::optional<std::string> qualification_date;
  std::optional<std::string> disqualification_date;
  std::optional<std::string> insured_card_valid_date;
  std::optional<std::string> insured_partial_contribution_ratio;  // "030" = 30 %
  std::optional<PreschoolClassification> preschool_classification;
  std::optional<ReasonOfLoss> reason_of_loss;
  std::optional<std::string> insurer_name;
  std::optional<ElderlyRecipientCertificateInfo> elderly_recipient_certificate_info;
  std::optional<ConsentRecord> limit_application_certificate_consent;
  std::optional<LimitApplicationCertificateInfo> limit_application_certificate_info;
  std::optional<SpecificDiseasesConsentRecord> specific_diseases_certificate_consent;
  std::vector<SpecificDiseasesCertificateInfo> specific_diseases_certificates;  // omitted when empty
  std::optional<ConsentRecord> pharmacists_info_consent;
  std::optional<ConsentRecord> specific_health_checkups_info_consent;
  std::optional<ConsentRecord> diagnosis_info_consent;
  std::optional<ConsentRecord> operation_info_consent;

  bool operator==(const QualificationRecord&) const = default;
};

struct ResultBody {
  ProcessingResultStatus processing_result_status = ProcessingResultStatus::normal_end;
  std::optional<std::string> processing_result_code;
  std::optional<std::string> processing_result_message;
  // Required when processing_result_status is normal_end; error results may omit it.
  std::optional<QualificationValidity> qualification_validity;
  std::optional<PrescriptionIssueSelect> prescription_issue_select;
  std::vector<QualificationRecord> results;  // ResultList; omitted when empty

  bool operator==(const ResultBody&) const = default;
};

struct QualificationResult {
  ResultHeader header;
  ResultBody body;

  bool operator==(const QualificationResult&) const = default;
};

}  // namespace onshi::ons
