#pragma once
// The ONS code tables (docs/domain/ons-messages.md, code tables) as enums, each with its wire code and Japanese label.
// Codes are text on the wire ("01", "A03"), so every enum maps through a table rather
// than its integer value; unknown codes are decode errors, not silent defaults.
#include <array>
#include <optional>
#include <string_view>

namespace onshi::ons {

template <class E>
struct CodeEntry {
  E value;
  std::string_view code;
  std::string_view label;
};

// Specialised once per enum below: `name` (for error messages) and `entries`.
template <class E>
struct CodeTable;

template <class E>
constexpr std::string_view to_code(E value) {
  for (const auto& e : CodeTable<E>::entries) {
    if (e.value == value) return e.code;
  }
  return {};
}

template <class E>
constexpr std::string_view label(E value) {
  for (const auto& e : CodeTable<E>::entries) {
    if (e.value == value) return e.label;
  }
  return {};
}

template <class E>
constexpr std::optional<E> from_code(std::string_view code) {
  for (const auto& e : CodeTable<E>::entries) {
    if (e.code == code) return e.value;
  }
  return std::nullopt;
}

// 照会区分: how the patient was identified.
enum class ReferenceClassification { my_number_card, insurance_card_info };
template <>
struct CodeTable<ReferenceClassification> {
  static constexpr std::string_view name = "ReferenceClassification";
  static constexpr std::array<CodeEntry<ReferenceClassification>, 2> entries{{
      {ReferenceClassification::my_number_card, "1", "マイナンバーカード"},
      {ReferenceClassification::insurance_card_info, "2", "被保険者証情報"},
  }};
};

// OQSCD003 処理結果区分.
enum class SegmentOfResult { normal_end, processing, abnormal_end };
template <>
struct CodeTable<SegmentOfResult> {
  static constexpr std::string_view name = "SegmentOfResult";
  static constexpr std::array<CodeEntry<SegmentOfResult>, 3> entries{{
      {SegmentOfResult::normal_end, "1", "正常終了"},
      {SegmentOfResult::processing, "2", "処理中"},
      {SegmentOfResult::abnormal_end, "9", "異常終了"},
  }};
};

enum class ProcessingResultStatus { normal_end, error };
template <>
struct CodeTable<ProcessingResultStatus> {
  static constexpr std::string_view name = "ProcessingResultStatus";
  static constexpr std::array<CodeEntry<ProcessingResultStatus>, 2> entries{{
      {ProcessingResultStatus::normal_end, "1", "正常終了"},
      {ProcessingResultStatus::error, "2", "エラー"},
  }};
};

// OQSCD006 資格有効性.
enum class QualificationValidity { valid, invalid, invalid_new_qualification, no_qualification, multiple };
template <>
struct CodeTable<QualificationValidity> {
  static constexpr std::string_view name = "QualificationValidity";
  static constexpr std::array<CodeEntry<QualificationValidity>, 5> entries{{
      {QualificationValidity::valid, "1", "有効"},
      {QualificationValidity::invalid, "2", "無効"},
      {QualificationValidity::invalid_new_qualification, "3", "無効（新しい資格あり）"},
      {QualificationValidity::no_qualification, "4", "該当資格なし"},
      {QualificationValidity::multiple, "5", "複数該当"},
  }};
};

enum class InsuredCardClassification {
  insured_general,
  insured_retired,
  short_term_general,
  short_term_retired,
  qualification_certificate,
  special_retired,
  self_defense_forces,
};
template <>
struct CodeTable<InsuredCardClassification> {
  static constexpr std::string_view name = "InsuredCardClassification";
  static constexpr std::array<CodeEntry<InsuredCardClassification>, 7> entries{{
      {InsuredCardClassification::insured_general, "01", "被保険者証（一般）"},
      {InsuredCardClassification::insured_retired, "02", "被保険者証（退職）"},
      {InsuredCardClassification::short_term_general, "03", "短期被保険者証（一般）"},
      {InsuredCardClassification::short_term_retired, "04", "短期被保険者証（退職）"},
      {InsuredCardClassification::qualification_certificate, "05", "被保険者資格証明書"},
      {InsuredCardClassification::special_retired, "06", "特例退職被保険者証"},
      {InsuredCardClassification::self_defense_forces, "07", "自衛官診療証"},
  }};
};

enum class PersonalFamilyClassification { insured_person, family_member };
template <>
struct CodeTable<PersonalFamilyClassification> {
  static constexpr std::string_view name = "PersonalFamilyClassification";
  static constexpr std::array<CodeEntry<PersonalFamilyClassification>, 2> entries{{
      {PersonalFamilyClassification::insured_person, "1", "本人"},
      {PersonalFamilyClassification::family_member, "2", "家族"},
  }};
};

enum class Sex { male, female, unset };
template <>
struct CodeTable<Sex> {
  static constexpr std::string_view name = "Sex";
  static constexpr std::array<CodeEntry<Sex>, 3> entries{{
      {Sex::male, "1", "男"},
      {Sex::female, "2", "女"},
      {Sex::unset, "3", "未設定"},
  }};
};

enum class ReasonOfLoss { death, public_assistance, other_insurance, other };
template <>
struct CodeTable<ReasonOfLoss> {
  static constexpr std::string_view name = "ReasonOfLoss";
  static constexpr std::array<CodeEntry<ReasonOfLoss>, 4> entries{{
      {ReasonOfLoss::death, "01", "死亡"},
      {ReasonOfLoss::public_assistance, "02", "生活保護受給開始"},
      {ReasonOfLoss::other_insurance, "03", "医療保険等の資格取得"},
      {ReasonOfLoss::other, "99", "その他"},
  }};
};

enum class PreschoolClassification { preschool };
template <>
struct CodeTable<PreschoolClassification> {
  static constexpr std::string_view name = "PreschoolClassification";
  static constexpr std::array<CodeEntry<PreschoolClassification>, 1> entries{{
      {PreschoolClassification::preschool, "1", "未就学"},
  }};
};

enum class LimitApplicationCertificateClassification { limit, limit_and_reduction, reduction };
template <>
struct CodeTable<LimitApplicationCertificateClassification> {
  static constexpr std::string_view name = "LimitApplicationCertificateClassification";
  static constexpr std::array<CodeEntry<LimitApplicationCertificateClassification>, 3> entries{{
      {LimitApplicationCertificateClassification::limit, "01", "限度額適用認定証"},
      {LimitApplicationCertificateClassification::limit_and_reduction, "02", "限度額適用・標準負担額減額認定証"},
      {LimitApplicationCertificateClassification::reduction, "03", "標準負担額減額認定証"},
  }};
};

// OQSCD012 適用区分 (income bracket on a 限度額 certificate).
enum class ClassificationFlag { a01, a02, a03, a04, a05, a06, b01, b02, b03, b04, b05, b06, b07, b08, b09, b10 };
template <>
struct CodeTable<ClassificationFlag> {
  static constexpr std::string_view name = "ClassificationFlag";
  static constexpr std::array<CodeEntry<ClassificationFlag>, 16> entries{{
      {ClassificationFlag::a01, "A01", "ア"},
      {ClassificationFlag::a02, "A02", "イ"},
      {ClassificationFlag::a03, "A03", "ウ"},
      {ClassificationFlag::a04, "A04", "エ"},
      {ClassificationFlag::a05, "A05", "オ"},
      {ClassificationFlag::a06, "A06", "オ（境）"},
      {ClassificationFlag::b01, "B01", "現役並みⅢ"},
      {ClassificationFlag::b02, "B02", "現役並みⅡ"},
      {ClassificationFlag::b03, "B03", "現役並みⅠ"},
      {ClassificationFlag::b04, "B04", "一般"},
      {ClassificationFlag::b05, "B05", "低所得Ⅱ"},
      {ClassificationFlag::b06, "B06", "低所得Ⅰ"},
      {ClassificationFlag::b07, "B07", "低所得Ⅰ（老福）"},
      {ClassificationFlag::b08, "B08", "低所得Ⅰ（境）"},
      {ClassificationFlag::b09, "B09", "一般Ⅱ"},
      {ClassificationFlag::b10, "B10", "一般Ⅰ"},
  }};
};

// The patient's per-item consent (…ConsFlg): medication, checkups, diagnosis, operation, 限度額.
enum class ConsentFlag { not_consented, consented };
template <>
struct CodeTable<ConsentFlag> {
  static constexpr std::string_view name = "ConsentFlag";
  static constexpr std::array<CodeEntry<ConsentFlag>, 2> entries{{
      {ConsentFlag::not_consented, "0", "未同意"},
      {ConsentFlag::consented, "1", "同意"},
  }};
};

// 特定疾病 consent has a third state.
enum class SpecificDiseasesConsent { none, present, expired };
template <>
struct CodeTable<SpecificDiseasesConsent> {
  static constexpr std::string_view name = "SpecificDiseasesCertificateRelatedConsFlg";
  static constexpr std::array<CodeEntry<SpecificDiseasesConsent>, 3> entries{{
      {SpecificDiseasesConsent::none, "0", "なし"},
      {SpecificDiseasesConsent::present, "1", "あり"},
      {SpecificDiseasesConsent::expired, "2", "有効期限切れ"},
  }};
};

enum class CharacterCodeIdentifier { utf8, shift_jis };
template <>
struct CodeTable<CharacterCodeIdentifier> {
  static constexpr std::string_view name = "CharacterCodeIdentifier";
  static constexpr std::array<CodeEntry<CharacterCodeIdentifier>, 2> entries{{
      {CharacterCodeIdentifier::utf8, "0", "UTF-8"},
      {CharacterCodeIdentifier::shift_jis, "1", "Shift_JIS"},
  }};
};

// OQSCD013 特定疾病 disease category (SpecificDiseasesCertificateInfo/SpecificDiseasesDiseaseCategory).
enum class SpecificDiseasesDiseaseCategory { dialysis, hemophilia, hiv_from_blood_products };
template <>
struct CodeTable<SpecificDiseasesDiseaseCategory> {
  static constexpr std::string_view name = "SpecificDiseasesDiseaseCategory";
  static constexpr std::array<CodeEntry<SpecificDiseasesDiseaseCategory>, 3> entries{{
      {SpecificDiseasesDiseaseCategory::dialysis, "1", "人工透析を必要とする慢性腎不全"},
      {SpecificDiseasesDiseaseCategory::hemophilia, "2", "血友病（第VIII因子・第IX因子障害）"},
      {SpecificDiseasesDiseaseCategory::hiv_from_blood_products, "3", "血液製剤の投与に起因するHIV感染症"},
  }};
};

// Which prescription the patient wants (電子処方箋 pharmacies): MessageBody/PrescriptionIssueSelect.
enum class PrescriptionIssueSelect { electronic, paper };
template <>
struct CodeTable<PrescriptionIssueSelect> {
  static constexpr std::string_view name = "PrescriptionIssueSelect";
  static constexpr std::array<CodeEntry<PrescriptionIssueSelect>, 2> entries{{
      {PrescriptionIssueSelect::electronic, "1", "電子処方箋"},
      {PrescriptionIssueSelect::paper, "2", "紙の処方箋"},
  }};
};

// 診療区分 of a medication/checkup information request (YZK…/TKK…): MedicalTreatmentFlag.
enum class MedicalTreatmentFlag { regular, home_visit, online };
template <>
struct CodeTable<MedicalTreatmentFlag> {
  static constexpr std::string_view name = "MedicalTreatmentFlag";
  static constexpr std::array<CodeEntry<MedicalTreatmentFlag>, 3> entries{{
      {MedicalTreatmentFlag::regular, "1", "通常"},
      {MedicalTreatmentFlag::home_visit, "2", "訪問診療"},
      {MedicalTreatmentFlag::online, "3", "オンライン診療"},
  }};
};

}  // namespace onshi::ons
