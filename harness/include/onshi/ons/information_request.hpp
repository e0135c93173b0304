#pragma once
// Medication (薬剤情報, YZKsiquc01req) and specific-health-checkup (特定健診情報,
// TKKsiquc01req) information requests, and the mock ONS's answer to them.
//
// Request (docs/domain/ons-messages.md — note the element names differ from OQSsiquc01req):
//   XmlMsg/MessageHeader{MedicalInstitutionCode, InsurerNumber, InsuranceCardSymbol?,
//     InsuredPersonIdentificationNumber, BranchNumber?, ArbitraryFileIdentifier?}
//   XmlMsg/MessageBody{StartDate, EndDate (medication only), FileCategory,
//     PrDiInfClassification (1), MedicalTreatmentFlag (1 通常, 2 訪問診療, 3 オンライン診療)}
// Result: the real result files (PDF/XML bundles) are not public; this is the harness's own
// shape, "onshi-hil information profile 1":
//   XmlMsg/MessageHeader{ProcessExecutionTime, MedicalInstitutionCode, ArbitraryFileIdentifier,
//     SegmentOfResult, ErrorCode?, ErrorMessage?, CharacterCodeIdentifier}
//   XmlMsg/MessageBody{ProcessingResultStatus, ConsTime?, AvailableTime?,
//     MedicationInfoList/MedicationInfo*{DispensingDate, MedicalInstitutionName, DrugName,
//       DrugCode, Quantity, Unit, Days}
//     SpecificHealthCheckupInfoList/SpecificHealthCheckupInfo*{CheckupDate, Height, Weight, BMI,
//       AbdominalCircumference, SystolicBloodPressure, DiastolicBloodPressure, HbA1c, LDLCholesterol}}
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "onshi/ons/codes.hpp"

namespace onshi::ons {

enum class InformationKind { medication, checkup };  // YZK, TKK
std::string_view to_string(InformationKind kind);   // "medication", "checkup"

struct InformationRequest {
  InformationKind kind = InformationKind::medication;
  std::string medical_institution_code;
  std::string insurer_number;
  std::optional<std::string> insurance_card_symbol;
  std::string insured_person_identification_number;
  std::optional<std::string> branch_number;
  std::optional<std::string> arbitrary_file_identifier;
  std::string start_date;               // YYYYMMDD
  std::optional<std::string> end_date;  // medication only
  std::string file_category = "1";
  std::string pr_di_inf_classification = "1";
  MedicalTreatmentFlag medical_treatment_flag = MedicalTreatmentFlag::regular;

  bool operator==(const InformationRequest&) const = default;
};

struct MedicationInfo {
  std::string dispensing_date;  // YYYYMMDD
  std::string medical_institution_name;
  std::string drug_name;
  std::string drug_code;  // 9-digit receipt computer code (synthetic)
  std::string quantity;   // per day, decimal text
  std::string unit;
  std::string days;

  bool operator==(const MedicationInfo&) const = default;
};

struct CheckupInfo {
  std::string checkup_date;  // YYYYMMDD
  std::string height;        // cm
  std::string weight;        // kg
  std::string bmi;
  std::string abdominal_circumference;  // cm
  std::string systolic_blood_pressure;  // mmHg
  std::string diastolic_blood_pressure;
  std::string hba1c;           // %
  std::string ldl_cholesterol; // mg/dL

  bool operator==(const CheckupInfo&) const = default;
};

struct InformationResult {
  InformationKind kind = InformationKind::medication;
  std::string process_execution_time;
  std::string medical_institution_code;
  std::string arbitrary_file_identifier;
  SegmentOfResult segment_of_result = SegmentOfResult::normal_end;
  std::optional<std::string> error_code;
  std::optional<std::string> error_message;
  CharacterCodeIdentifier character_code_identifier = CharacterCodeIdentifier::utf8;
  ProcessingResultStatus processing_result_status = ProcessingResultStatus::normal_end;
  std::optional<std::string> cons_time;       // the consent this answer rests on
  std::optional<std::string> available_time;  // and when it lapses
  std::vector<MedicationInfo> medications;
  std::vector<CheckupInfo> checkups;

  bool operator==(const InformationResult&) const = default;
};

}  // namespace onshi::ons
