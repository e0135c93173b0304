// XML codec of the medication (YZK) and checkup (TKK) information requests and results.
#include "onshi/ons/xml_codec.hpp"
#include "xml_support.hpp"

namespace onshi::ons {
namespace {

using detail::Element;

// Element text that must be a non-empty decimal number ("12.5"), as the measurements are.
std::string decimal(const Element& parent, std::string_view name) {
  const Element e = parent.child(name);
  std::string v = e.text();
  const bool ok = !v.empty() && v.size() <= 12 && v.find_first_not_of("0123456789.") == std::string::npos &&
                  v.front() != '.' && v.find('.') == v.rfind('.');
  if (!ok) e.fail("expected a decimal number, got '" + detail::excerpt(v, 40) + "'");
  return v;
}

std::string required_text(const Element& parent, std::string_view name) {
  const Element e = parent.child(name);
  std::string v = e.text();
  if (v.empty()) e.fail("empty value");
  return v;
}

}  // namespace

std::string_view to_string(InformationKind kind) {
  return kind == InformationKind::medication ? "medication" : "checkup";
}

std::string encode_xml(const InformationRequest& r) {
  detail::MessageWriter w;
  detail::XmlNode h = detail::add_element(w.root(), "MessageHeader");
  detail::add_text(h, "MedicalInstitutionCode", r.medical_institution_code);
  detail::add_text(h, "InsurerNumber", r.insurer_number);
  detail::add_text(h, "InsuranceCardSymbol", r.insurance_card_symbol);
  detail::add_text(h, "InsuredPersonIdentificationNumber", r.insured_person_identification_number);
  detail::add_text(h, "BranchNumber", r.branch_number);
  detail::add_text(h, "ArbitraryFileIdentifier", r.arbitrary_file_identifier);
  detail::XmlNode b = detail::add_element(w.root(), "MessageBody");
  detail::add_text(b, "StartDate", r.start_date);
  if (r.kind == InformationKind::medication) detail::add_text(b, "EndDate", r.end_date);
  detail::add_text(b, "FileCategory", r.file_category);
  detail::add_text(b, "PrDiInfClassification", r.pr_di_inf_classification);
  detail::add_code(b, "MedicalTreatmentFlag", r.medical_treatment_flag);
  return w.str();
}

InformationRequest decode_information_request(std::string_view xml, InformationKind kind, const XmlLimits& limits) {
  const detail::ParsedMessage message(xml, limits);
  const Element root = message.root();
  InformationRequest r;
  r.kind = kind;
  const Element h = root.child("MessageHeader");
  r.medical_institution_code = detail::required_medical_institution_code(h);
  r.insurer_number = required_text(h, "InsurerNumber");
  r.insurance_card_symbol = h.optional_text("InsuranceCardSymbol");
  r.insured_person_identification_number = required_text(h, "InsuredPersonIdentificationNumber");
  r.branch_number = h.optional_text("BranchNumber");
  r.arbitrary_file_identifier = h.optional_text("ArbitraryFileIdentifier");
  const Element b = root.child("MessageBody");
  r.start_date = detail::required_date(b, "StartDate");
  if (kind == InformationKind::medication) {
    r.end_date = detail::required_date(b, "EndDate");
    if (*r.end_date < r.start_date) b.child("EndDate").fail("EndDate is before StartDate");
  } else if (b.optional_child("EndDate")) {
    b.child("EndDate").fail("a checkup request has no EndDate");
  }
  r.file_category = required_text(b, "FileCategory");
  r.pr_di_inf_classification = required_text(b, "PrDiInfClassification");
  if (r.pr_di_inf_classification != "1") b.child("PrDiInfClassification").fail("must be 1");
  r.medical_treatment_flag = b.code<MedicalTreatmentFlag>("MedicalTreatmentFlag");
  return r;
}

std::string encode_xml(const InformationResult& r) {
  detail::MessageWriter w;
  detail::XmlNode h = detail::add_element(w.root(), "MessageHeader");
  detail::add_text(h, "ProcessExecutionTime", r.process_execution_time);
  detail::add_text(h, "MedicalInstitutionCode", r.medical_institution_code);
  detail::add_text(h, "ArbitraryFileIdentifier", r.arbitrary_file_identifier);
  detail::add_code(h, "SegmentOfResult", r.segment_of_result);
  detail::add_text(h, "ErrorCode", r.error_code);
  detail::add_text(h, "ErrorMessage", r.error_message);
  detail::add_code(h, "CharacterCodeIdentifier", r.character_code_identifier);
  detail::XmlNode b = detail::add_element(w.root(), "MessageBody");
  detail::add_code(b, "ProcessingResultStatus", r.processing_result_status);
  detail::add_text(b, "ConsTime", r.cons_time);
  detail::add_text(b, "AvailableTime", r.available_time);
  if (r.kind == InformationKind::medication && !r.medications.empty()) {
    detail::XmlNode list = detail::add_element(b, "MedicationInfoList");
    for (const auto& m : r.medications) {
      detail::XmlNode n = detail::add_element(list, "MedicationInfo");
      detail::add_text(n, "DispensingDate", m.dispensing_date);
      detail::add_text(n, "MedicalInstitutionName", m.medical_institution_name);
      detail::add_text(n, "DrugName", m.drug_name);
      detail::add_text(n, "DrugCode", m.drug_code);
      detail::add_text(n, "Quantity", m.quantity);
      detail::add_text(n, "Unit", m.unit);
      detail::add_text(n, "Days", m.days);
    }
  }
  if (r.kind == InformationKind::checkup && !r.checkups.empty()) {
    detail::XmlNode list = detail::add_element(b, "SpecificHealthCheckupInfoList");
    for (const auto& c : r.checkups) {
      detail::XmlNode n = detail::add_element(list, "SpecificHealthCheckupInfo");
      detail::add_text(n, "CheckupDate", c.checkup_date);
      detail::add_text(n, "Height", c.height);
      detail::add_text(n, "Weight", c.weight);
      detail::add_text(n, "BMI", c.bmi);
      detail::add_text(n, "AbdominalCircumference", c.abdominal_circumference);
      detail::add_text(n, "SystolicBloodPressure", c.systolic_blood_pressure);
      detail::add_text(n, "DiastolicBloodPressure", c.diastolic_blood_pressure);
      detail::add_text(n, "HbA1c", c.hba1c);
      detail::add_text(n, "LDLCholesterol", c.ldl_cholesterol);
    }
  }
  return w.str();
}

InformationResult decode_information_result(std::string_view xml, InformationKind kind, const XmlLimits& limits) {
  const detail::ParsedMessage message(xml, limits);
  const Element root = message.root();
  InformationResult r;
  r.kind = kind;
  const Element h = root.child("MessageHeader");
  r.process_execution_time = detail::required_datetime(h, "ProcessExecutionTime");
  r.medical_institution_code = detail::required_medical_institution_code(h);
  r.arbitrary_file_identifier = h.text("ArbitraryFileIdentifier");
  r.segment_of_result = h.code<SegmentOfResult>("SegmentOfResult");
  r.error_code = h.optional_text("ErrorCode");
  r.error_message = h.optional_text("ErrorMessage");
  r.character_code_identifier = h.code<CharacterCodeIdentifier>("CharacterCodeIdentifier");
  const Element b = root.child("MessageBody");
  r.processing_result_status = b.code<ProcessingResultStatus>("ProcessingResultStatus");
  r.cons_time = detail::optional_datetime(b, "ConsTime");
  r.available_time = detail::optional_datetime(b, "AvailableTime");
  if (const auto list = b.optional_child("MedicationInfoList")) {
    if (kind != InformationKind::medication) list->fail("medication list in a checkup result");
    for (const Element& n : list->children("MedicationInfo")) {
      MedicationInfo m;
      m.dispensing_date = detail::required_date(n, "DispensingDate");
      m.medical_institution_name = n.text("MedicalInstitutionName");
      m.drug_name = required_text(n, "DrugName");
      m.drug_code = required_text(n, "DrugCode");
      m.quantity = decimal(n, "Quantity");
      m.unit = n.text("Unit");
      m.days = decimal(n, "Days");
      r.medications.push_back(std::move(m));
    }
  }
  if (const auto list = b.optional_child("SpecificHealthCheckupInfoList")) {
    if (kind != InformationKind::checkup) list->fail("checkup list in a medication result");
    for (const Element& n : list->children("SpecificHealthCheckupInfo")) {
      CheckupInfo c;
      c.checkup_date = detail::required_date(n, "CheckupDate");
      c.height = decimal(n, "Height");
      c.weight = decimal(n, "Weight");
      c.bmi = decimal(n, "BMI");
      c.abdominal_circumference = decimal(n, "AbdominalCircumference");
      c.systolic_blood_pressure = decimal(n, "SystolicBloodPressure");
      c.diastolic_blood_pressure = decimal(n, "DiastolicBloodPressure");
      c.hba1c = decimal(n, "HbA1c");
      c.ldl_cholesterol = decimal(n, "LDLCholesterol");
      r.checkups.push_back(std::move(c));
    }
  }
  return r;
}

}  // namespace onshi::ons
