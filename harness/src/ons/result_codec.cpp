// XML codec of the qualification result (…res files, face files, mock ONS answers).
#include "onshi/ons/xml_codec.hpp"
#include "xml_support.hpp"

namespace onshi::ons {
namespace {

using detail::Element;

// Consent items are three sibling elements sharing a prefix: <prefix>ConsFlg, ConsTime, AvailableTime.
void write_consent(detail::XmlNode parent, const std::string& prefix, const std::optional<ConsentRecord>& consent) {
  if (!consent) return;
  detail::add_code(parent, prefix + "ConsFlg", consent->flag);
  detail::add_text(parent, prefix + "ConsTime", consent->cons_time);
  detail::add_text(parent, prefix + "AvailableTime", consent->available_time);
}

std::optional<ConsentRecord> read_consent(const Element& parent, const std::string& prefix) {
  const auto flag = parent.optional_code<ConsentFlag>(prefix + "ConsFlg");
  auto cons_time = detail::optional_datetime(parent, prefix + "ConsTime");
  auto available_time = detail::optional_datetime(parent, prefix + "AvailableTime");
  if (!flag) {
    if (cons_time || available_time) {
      throw Error(ErrorCode::malformed_input, "consent time without its flag", parent.path() + "/" + prefix + "ConsFlg");
    }
    return std::nullopt;
  }
  return ConsentRecord{*flag, std::move(cons_time), std::move(available_time)};
}

constexpr std::string_view kLimitPrefix = "LimitApplicationCertificate";

void write_limit_info(detail::XmlNode parent, const LimitApplicationCertificateInfo& info) {
  detail::XmlNode n = detail::add_element(parent, "LimitApplicationCertificateRelatedInfo");
  const std::string p(kLimitPrefix);
  detail::add_code(n, p + "Classification", info.classification);
  detail::add_code(n, p + "ClassificationFlag", info.classification_flag);
  detail::add_text(n, p + "Date", info.date);
  detail::add_text(n, p + "ValidStartDate", info.valid_start_date);
  detail::add_text(n, p + "ValidEndDate", info.valid_end_date);
  detail::add_text(n, p + "LongTermDate", info.long_term_date);
}

LimitApplicationCertificateInfo read_limit_info(const Element& n) {
  const std::string p(kLimitPrefix);
  LimitApplicationCertificateInfo info;
  info.classification = n.code<LimitApplicationCertificateClassification>(p + "Classification");
  info.classification_flag = n.code<ClassificationFlag>(p + "ClassificationFlag");
  info.date = detail::required_date(n, p + "Date");
  info.valid_start_date = detail::required_date(n, p + "ValidStartDate");
  info.valid_end_date = detail::required_date(n, p + "ValidEndDate");
  info.long_term_date = detail::optional_date(n, p + "LongTermDate");
  return info;
}

void write_elderly_info(detail::XmlNode parent, const ElderlyRecipientCertificateInfo& info) {
  detail::XmlNode n = detail::add_element(parent, "ElderlyRecipientCertificateInfo");
  detail::add_text(n, "ElderlyRecipientCertificateDate", info.date);
  detail::add_text(n, "ElderlyRecipientValidStartDate", info.valid_start_date);
  detail::add_text(n, "ElderlyRecipientValidEndDate", info.valid_end_date);
  detail::add_text(n, "ElderlyRecipientContributionRatio", info.contribution_ratio);
}

ElderlyRecipientCertificateInfo read_elderly_info(const Element& n) {
  ElderlyRecipientCertificateInfo info;
  info.date = detail::optional_date(n, "ElderlyRecipientCertificateDate");
  info.valid_start_date = detail::required_date(n, "ElderlyRecipientValidStartDate");
  info.valid_end_date = detail::required_date(n, "ElderlyRecipientValidEndDate");
  info.contribution_ratio = detail::required_digits(n, "ElderlyRecipientContributionRatio", 3);
  return info;
}

void write_specific_diseases(detail::XmlNode parent, const QualificationRecord& r) {
  if (r.specific_diseases_certificate_consent) {
    detail::add_code(parent, "SpecificDiseasesCertificateRelatedConsFlg", r.specific_diseases_certificate_consent->flag);
    detail::add_text(parent, "SpecificDiseasesCertificateRelatedConsTime", r.specific_diseases_certificate_consent->cons_time);
  }
  if (r.specific_diseases_certificates.empty()) return;
  detail::XmlNode list = detail::add_element(parent, "SpecificDiseasesCertificateList");
  for (const auto& c : r.specific_diseases_certificates) {
    detail::XmlNode n = detail::add_element(list, "SpecificDiseasesCertificateInfo");
    detail::add_code(n, "SpecificDiseasesDiseaseCategory", c.disease_category);
    detail::add_text(n, "SpecificDiseasesCertificateDate", c.certificate_date);
    detail::add_text(n, "SpecificDiseasesValidStartDate", c.valid_start_date);
    detail::add_text(n, "SpecificDiseasesValidEndDate", c.valid_end_date);
    detail::add_text(n, "SpecificDiseasesSelfPay", c.self_pay);
  }
}

void read_specific_diseases(const Element& parent, QualificationRecord& r) {
  if (const auto flag = parent.optional_code<SpecificDiseasesConsent>("SpecificDiseasesCertificateRelatedConsFlg")) {
    r.specific_diseases_certificate_consent =
        SpecificDiseasesConsentRecord{*flag, detail::optional_datetime(parent, "SpecificDiseasesCertificateRelatedConsTime")};
  }
  const auto list = parent.optional_child("SpecificDiseasesCertificateList");
  if (!list) return;
  for (const Element& n : list->children("SpecificDiseasesCertificateInfo")) {
    SpecificDiseasesCertificateInfo c;
    c.disease_category = n.code<SpecificDiseasesDiseaseCategory>("SpecificDiseasesDiseaseCategory");
    c.certificate_date = detail::optional_date(n, "SpecificDiseasesCertificateDate");
    c.valid_start_date = detail::required_date(n, "SpecificDiseasesValidStartDate");
    c.valid_end_date = detail::optional_date(n, "SpecificDiseasesValidEndDate");
    c.self_pay = n.optional_text("SpecificDiseasesSelfPay");
    r.specific_diseases_certificates.push_back(std::move(c));
  }
}

void write_record(detail::XmlNode list, const QualificationRecord& r) {
  detail::XmlNode n = detail::add_element(list, "ResultOfQualificationConfirmation");
  detail::add_code(n, "InsuredCardClassification", r.insured_card_classification);
  detail::add_text(n, "InsurerNumber", r.insurer_number);
  detail::add_text(n, "InsuredCardSymbol", r.insured_card_symbol);
  detail::add_text(n, "InsuredIdentificationNumber", r.insured_identification_number);
  detail::add_text(n, "InsuredBranchNumber", r.insured_branch_number);
  detail::add_code(n, "PersonalFamilyClassification", r.personal_family_classification);
  detail::add_text(n, "InsuredName", r.insured_name);
  detail::add_text(n, "Name", r.name);
  detail::add_text(n, "NameKana", r.name_kana);
  detail::add_code(n, "Sex1", r.sex1);
  detail::add_text(n, "Birthdate", r.birthdate);
  detail::add_text(n, "Address", r.address);
  detail::add_text(n, "PostNumber", r.post_number);
  detail::add_text(n, "QualificationDate", r.qualification_date);
  detail::add_text(n, "DisqualificationDate", r.disqualification_date);
  detail::add_text(n, "InsuredCardValidDate", r.insured_card_valid_date);
  detail::add_text(n, "InsuredPartialContributionRatio", r.insured_partial_contribution_ratio);
  detail::add_code(n, "PreschoolClassification", r.preschool_classification);
  detail::add_code(n, "ReasonOfLoss", r.reason_of_loss);
  detail::add_text(n, "InsurerName", r.insurer_name);
  if (r.elderly_recipient_certificate_info) write_elderly_info(n, *r.elderly_recipient_certificate_info);
  write_consent(n, "LimitApplicationCertificateRelated", r.limit_application_certificate_consent);
  if (r.limit_application_certificate_info) write_limit_info(n, *r.limit_application_certificate_info);
  write_specific_diseases(n, r);
  write_consent(n, "PharmacistsInfo", r.pharmacists_info_consent);
  write_consent(n, "SpecificHealthCheckupsInfo", r.specific_health_checkups_info_consent);
  write_consent(n, "DiagnosisInfo", r.diagnosis_info_consent);
  write_consent(n, "OperationInfo", r.operation_info_consent);
}

QualificationRecord read_record(const Element& n) {
  QualificationRecord r;
  r.insured_card_classification = n.code<InsuredCardClassification>("InsuredCardClassification");
  r.insurer_number = n.text("InsurerNumber");
  if (r.insurer_number.empty()) n.child("InsurerNumber").fail("empty value");
  r.insured_card_symbol = n.optional_text("InsuredCardSymbol");
  r.insured_identification_number = n.text("InsuredIdentificationNumber");
  r.insured_branch_number = n.optional_text("InsuredBranchNumber");
  r.personal_family_classification = n.code<PersonalFamilyClassification>("PersonalFamilyClassification");
  r.insured_name = n.optional_text("InsuredName");
  r.name = n.text("Name");
  r.name_kana = n.optional_text("NameKana");
  r.sex1 = n.code<Sex>("Sex1");
  r.birthdate = detail::required_date(n, "Birthdate");
  r.address = n.optional_text("Address");
  r.post_number = n.optional_text("PostNumber");
  r.qualification_date = detail::optional_date(n, "QualificationDate");
  r.disqualification_date = detail::optional_date(n, "DisqualificationDate");
  r.insured_card_valid_date = detail::optional_date(n, "InsuredCardValidDate");
  r.insured_partial_contribution_ratio = n.optional_text("InsuredPartialContributionRatio");
  r.preschool_classification = n.optional_code<PreschoolClassification>("PreschoolClassification");
  r.reason_of_loss = n.optional_code<ReasonOfLoss>("ReasonOfLoss");
  r.insurer_name = n.optional_text("InsurerName");
  if (const auto info = n.optional_child("ElderlyRecipientCertificateInfo")) {
    r.elderly_recipient_certificate_info = read_elderly_info(*info);
  }
  read_specific_diseases(n, r);
  r.limit_application_certificate_consent = read_consent(n, "LimitApplicationCertificateRelated");
  if (const auto info = n.optional_child("LimitApplicationCertificateRelatedInfo")) {
    r.limit_application_certificate_info = read_limit_info(*info);
  }
  r.pharmacists_info_consent = read_consent(n, "PharmacistsInfo");
  r.specific_health_checkups_info_consent = read_consent(n, "SpecificHealthCheckupsInfo");
  r.diagnosis_info_consent = read_consent(n, "DiagnosisInfo");
  r.operation_info_consent = read_consent(n, "OperationInfo");
  return r;
}

}  // namespace

namespace detail {
void write_result_record(detail::XmlNode list, const QualificationRecord& r) { write_record(list, r); }
QualificationRecord read_result_record(const Element& n) { return read_record(n); }
}  // namespace detail

std::string encode_xml(const QualificationResult& result) {
  detail::MessageWriter w;
  const ResultHeader& h = result.header;
  detail::XmlNode header = detail::add_element(w.root(), "MessageHeader");
  detail::add_text(header, "ProcessExecutionTime", h.process_execution_time);
  detail::add_text(header, "QualificationConfirmationDate", h.qualification_confirmation_date);
  detail::add_text(header, "MedicalInstitutionCode", h.medical_institution_code);
  detail::add_text(header, "ArbitraryFileIdentifier", h.arbitrary_file_identifier);
  detail::add_code(header, "ReferenceClassification", h.reference_classification);
  detail::add_code(header, "SegmentOfResult", h.segment_of_result);
  detail::add_text(header, "ErrorCode", h.error_code);
  detail::add_text(header, "ErrorMessage", h.error_message);
  detail::add_code(header, "CharacterCodeIdentifier", h.character_code_identifier);

  const ResultBody& b = result.body;
  detail::XmlNode body = detail::add_element(w.root(), "MessageBody");
  detail::add_code(body, "ProcessingResultStatus", b.processing_result_status);
  detail::add_text(body, "ProcessingResultCode", b.processing_result_code);
  detail::add_text(body, "ProcessingResultMessage", b.processing_result_message);
  detail::add_code(body, "QualificationValidity", b.qualification_validity);
  detail::add_code(body, "PrescriptionIssueSelect", b.prescription_issue_select);
  if (!b.results.empty()) {
    detail::XmlNode list = detail::add_element(body, "ResultList");
    for (const auto& r : b.results) write_record(list, r);
  }
  return w.str();
}

QualificationResult decode_result(std::string_view xml, const XmlLimits& limits) {
  const detail::ParsedMessage message(xml, limits);
  const Element root = message.root();
  QualificationResult result;

  const Element header = root.child("MessageHeader");
  ResultHeader& h = result.header;
  h.process_execution_time = detail::required_datetime(header, "ProcessExecutionTime");
  h.qualification_confirmation_date = detail::required_date(header, "QualificationConfirmationDate");
  h.medical_institution_code = detail::required_medical_institution_code(header);
  h.arbitrary_file_identifier = header.text("ArbitraryFileIdentifier");
  h.reference_classification = header.code<ReferenceClassification>("ReferenceClassification");
  h.segment_of_result = header.code<SegmentOfResult>("SegmentOfResult");
  h.error_code = header.optional_text("ErrorCode");
  h.error_message = header.optional_text("ErrorMessage");
  h.character_code_identifier = header.code<CharacterCodeIdentifier>("CharacterCodeIdentifier");

  const Element body = root.child("MessageBody");
  ResultBody& b = result.body;
  b.processing_result_status = body.code<ProcessingResultStatus>("ProcessingResultStatus");
  b.processing_result_code = body.optional_text("ProcessingResultCode");
  b.processing_result_message = body.optional_text("ProcessingResultMessage");
  // A finished, successful result must say whether the qualification is valid; 処理中
  // (SegmentOfResult 2) has nothing to say yet.
  if (b.processing_result_status == ProcessingResultStatus::normal_end &&
      h.segment_of_result != SegmentOfResult::processing) {
    b.qualification_validity = body.code<QualificationValidity>("QualificationValidity");
  } else {
    b.qualification_validity = body.optional_code<QualificationValidity>("QualificationValidity");
  }
  b.prescription_issue_select = body.optional_code<PrescriptionIssueSelect>("PrescriptionIssueSelect");
  if (const auto list = body.optional_child("ResultList")) {
    for (const Element& r : list->children("ResultOfQualificationConfirmation")) b.results.push_back(read_record(r));
  }
  return result;
}

}  // namespace onshi::ons
