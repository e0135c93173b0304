#include "onshi/mocks/ons/patient_record.hpp"

#include "onshi/core/error.hpp"
#include "onshi/ons/codes.hpp"

namespace onshi::mocks::ons {
namespace o = onshi::ons;

namespace {

template <class E>
E code_of(const population::Patient& p, const char* field, const std::string& value) {
  if (const auto v = o::from_code<E>(value)) return *v;
  throw Error(ErrorCode::config, std::string("unknown ") + std::string(o::CodeTable<E>::name) + " '" + value + "'",
              "patient " + p.id + ": " + field);
}

std::optional<std::string> present(const std::string& value) {
  if (value.empty()) return std::nullopt;
  return value;
}

o::ConsentRecord stamped(o::ConsentFlag flag, WallTime now, bool with_available_time) {
  o::ConsentRecord r{flag, std::nullopt, std::nullopt};
  if (flag == o::ConsentFlag::consented) {
    r.cons_time = format_jst_datetime(now);
    // 24 h consent validity (docs/domain/reception-flow.md).
    if (with_available_time) r.available_time = format_jst_datetime(now + std::chrono::hours(24));
  }
  return r;
}

}  // namespace

o::QualificationRecord qualification_record(const population::Patient& p) {
  const population::InsuranceRecord& i = p.insurance;
  o::QualificationRecord r;
  r.insured_card_classification =
      code_of<o::InsuredCardClassification>(p, "insured_card_classification", i.insured_card_classification);
  r.insurer_number = i.insurer_number;
  r.insured_card_symbol = present(i.insured_card_symbol);
  r.insured_identification_number = i.insured_identification_number;
  r.insured_branch_number = present(i.insured_branch_number);
  r.personal_family_classification =
      code_of<o::PersonalFamilyClassification>(p, "personal_family_classification", i.personal_family_classification);
  r.insured_name = present(i.insured_name);
  r.name = p.name;
  r.name_kana = present(p.name_kana);
  r.sex1 = code_of<o::Sex>(p, "sex", p.sex);
  r.birthdate = p.birthdate;
  r.address = present(p.address);
  r.post_number = present(p.post_number);
  r.qualification_date = present(i.qualification_date);
  r.disqualification_date = present(i.disqualification_date);
  r.insured_card_valid_date = present(i.insured_card_valid_date);
  r.insured_partial_contribution_ratio = present(i.partial_contribution_ratio);
  if (i.preschool) r.preschool_classification = o::PreschoolClassification::preschool;
  if (!i.reason_of_loss.empty()) r.reason_of_loss = code_of<o::ReasonOfLoss>(p, "reason_of_loss", i.reason_of_loss);
  r.insurer_name = present(i.insurer_name);
  if (p.elderly_recipient) {
    const population::ElderlyRecipientCertificate& e = *p.elderly_recipient;
    r.elderly_recipient_certificate_info =
        o::ElderlyRecipientCertificateInfo{present(e.date), e.valid_start_date, e.valid_end_date, e.contribution_ratio};
  }
  for (const auto& s : p.specific_diseases) {
    code_of<o::SpecificDiseasesDiseaseCategory>(p, "specific_disease.disease_category", s.disease_category);
  }
  if (p.limit_certificate) {
    // Validated here; attached only when the patient consents (apply_consents).
    code_of<o::LimitApplicationCertificateClassification>(p, "limit_certificate.classification",
                                                          p.limit_certificate->classification);
    code_of<o::ClassificationFlag>(p, "limit_certificate.classification_flag", p.limit_certificate->classification_flag);
  }
  return r;
}

o::QualificationValidity qualification_validity(const population::Patient& p) {
  return code_of<o::QualificationValidity>(p, "insurance.validity", p.insurance.validity);
}

void apply_consents(o::QualificationRecord& r, const population::Patient& p, const o::ConsentChoices& c, WallTime now) {
  if (c.limit_application_certificate) {
    r.limit_application_certificate_consent = stamped(*c.limit_application_certificate, now, false);
    if (*c.limit_application_certificate == o::ConsentFlag::consented && p.limit_certificate) {
      const population::LimitCertificate& l = *p.limit_certificate;
      o::LimitApplicationCertificateInfo info;
      info.classification =
          code_of<o::LimitApplicationCertificateClassification>(p, "limit_certificate.classification", l.classification);
      info.classification_flag =
          code_of<o::ClassificationFlag>(p, "limit_certificate.classification_flag", l.classification_flag);
      info.date = l.date;
      info.valid_start_date = l.valid_start_date;
      info.valid_end_date = l.valid_end_date;
      r.limit_application_certificate_info = info;
    }
    // 特定疾病 certificates ride on the same 高額療養費 consent screen (docs/domain/reception-flow.md).
    if (!p.specific_diseases.empty()) {
      const bool consented = *c.limit_application_certificate == o::ConsentFlag::consented;
      o::SpecificDiseasesConsentRecord consent;
      consent.flag = consented ? o::SpecificDiseasesConsent::present : o::SpecificDiseasesConsent::none;
      if (consented) consent.cons_time = format_jst_datetime(now);
      r.specific_diseases_certificate_consent = consent;
      if (consented) {
        for (const auto& s : p.specific_diseases) {
          r.specific_diseases_certificates.push_back(
              {code_of<o::SpecificDiseasesDiseaseCategory>(p, "specific_disease.disease_category", s.disease_category),
               present(s.certificate_date), s.valid_start_date, present(s.valid_end_date), present(s.self_pay)});
        }
      }
    }
  }
  if (c.pharmacists_info) r.pharmacists_info_consent = stamped(*c.pharmacists_info, now, true);
  if (c.specific_health_checkups_info) {
    r.specific_health_checkups_info_consent = stamped(*c.specific_health_checkups_info, now, true);
  }
  if (c.diagnosis_info) r.diagnosis_info_consent = stamped(*c.diagnosis_info, now, true);
  if (c.operation_info) r.operation_info_consent = stamped(*c.operation_info, now, true);
}

}  // namespace onshi::mocks::ons
