#include "onshi/terminal/answer_writer.hpp"

#include "onshi/core/atomic_file.hpp"

namespace onshi::terminal {

ons::QualificationResult error_result(const std::string& code, const std::string& reason,
                                      const std::string& facility_code, WallTime at) {
  ons::QualificationResult r;
  r.header.process_execution_time = format_jst_datetime(at);
  r.header.qualification_confirmation_date = format_jst_date(at);
  r.header.medical_institution_code = facility_code;
  r.header.reference_classification = ons::ReferenceClassification::insurance_card_info;
  r.header.segment_of_result = ons::SegmentOfResult::abnormal_end;
  r.header.error_code = code;
  r.header.error_message = reason;
  r.body.processing_result_status = ons::ProcessingResultStatus::error;
  r.body.processing_result_code = code;
  r.body.processing_result_message = reason;
  return r;
}

std::size_t write_answer(const std::filesystem::path& file, const std::string& canonical_xml, ons::TextEncoding encoding) {
  // from_canonical also sets CharacterCodeIdentifier 1 for Shift_JIS; the encoders write 0.
  const std::string bytes = ons::from_canonical(canonical_xml, ons::WireFormat{ons::WireSyntax::xml, encoding});
  write_file_atomically(file, bytes);
  return bytes.size();
}

}  // namespace onshi::terminal
