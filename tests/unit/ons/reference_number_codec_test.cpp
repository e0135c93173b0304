// The bulk 照会番号 registration codec (OQSmuimm01req and its results; the shape is inferred,
// onshi/ons/reference_number_registration.hpp): round trips, and bad input named by element.
#include <gtest/gtest.h>

#include "onshi/core/error.hpp"
#include "onshi/ons/wire_format.hpp"
#include "onshi/ons/xml_codec.hpp"

namespace onshi::ons {
namespace {

ReferenceNumberRegistration registration() {
  ReferenceNumberRegistration r;
  r.header = {"20261201", "1312345678", std::string("照会-一括-1")};
  r.entries.push_back({"06132013", std::string("101"), "2345", std::string("00"), "19850412", "K000123", std::string("P001")});
  r.entries.push_back({"39131015", std::nullopt, "00012345", std::nullopt, "19480310", "9", std::nullopt});
  return r;
}

std::string context_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.context() + ": " + e.message();
  }
  return "no error";
}

TEST(ReferenceNumberCodec, TheRegistrationRoundTripsWithItsElementNames) {
  const std::string xml = encode_xml(registration());
  EXPECT_NE(xml.find("<ReferenceNumberRegistrationInfo>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<InsurerNumber>06132013</InsurerNumber>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<ReferenceNumber>K000123</ReferenceNumber>"), std::string::npos);
  EXPECT_EQ(decode_reference_number_registration(xml), registration());
  // Read back from Shift_JIS (CP932) too, as a receipt computer writes it.
  const std::string sjis = from_canonical(xml, {WireSyntax::xml, TextEncoding::shift_jis});
  EXPECT_EQ(decode_reference_number_registration(to_canonical(sjis, WireSyntax::xml, {}, {}).xml), registration());
}

TEST(ReferenceNumberCodec, BadRegistrationsAreNamedByElement) {
  ReferenceNumberRegistration bad = registration();
  bad.entries[0].reference_number = "K-123";
  EXPECT_EQ(context_of([&] { decode_reference_number_registration(encode_xml(bad)); }).rfind(
                "XmlMsg/MessageBody/ReferenceNumberRegistrationInfo[1]/ReferenceNumber: expected a 照会番号", 0),
            0U)
      << context_of([&] { decode_reference_number_registration(encode_xml(bad)); });
  bad.entries[0].reference_number = std::string(21, '1');
  EXPECT_NE(context_of([&] { decode_reference_number_registration(encode_xml(bad)); }).find("1..20"), std::string::npos);
  bad = registration();
  bad.entries[1].insurer_number = "12AB";
  EXPECT_NE(context_of([&] { decode_reference_number_registration(encode_xml(bad)); }).find("InsurerNumber"),
            std::string::npos);
  bad = registration();
  bad.entries.clear();
  EXPECT_NE(context_of([&] { decode_reference_number_registration(encode_xml(bad)); })
                .find("no ReferenceNumberRegistrationInfo"),
            std::string::npos);
}

ReferenceNumberResult finished() {
  ReferenceNumberResult r;
  r.process_execution_time = "20261201120000";
  r.medical_institution_code = "1312345678";
  r.arbitrary_file_identifier = "照会-一括-1";
  r.reception_number = "20261201120000000001";
  r.segment_of_result = SegmentOfResult::normal_end;
  r.items.push_back({std::string("P001"), ProcessingResultStatus::normal_end, std::nullopt, std::nullopt, "K000123"});
  r.items.push_back({std::nullopt, ProcessingResultStatus::error, std::string("HIL0440"), std::string("該当なし"), "9"});
  r.number_of_processing_result = 2;
  r.number_of_normal_processing = 1;
  r.number_of_error = 1;
  return r;
}

TEST(ReferenceNumberCodec, ResultsRoundTripAndMustCountTheirItems) {
  EXPECT_EQ(decode_reference_number_result(encode_xml(finished())), finished());
  ReferenceNumberResult pending;
  pending.process_execution_time = "20261201120000";
  pending.medical_institution_code = "1312345678";
  pending.reception_number = "1";
  EXPECT_EQ(decode_reference_number_result(encode_xml(pending)), pending);

  ReferenceNumberResult uncounted = finished();
  uncounted.number_of_processing_result.reset();
  EXPECT_NE(context_of([&] { decode_reference_number_result(encode_xml(uncounted)); }).find("NumberOfProcessingResult"),
            std::string::npos);
  ReferenceNumberResult miscounted = finished();
  miscounted.number_of_processing_result = 3;
  EXPECT_NE(context_of([&] { decode_reference_number_result(encode_xml(miscounted)); }).find("says 3 but 2 results follow"),
            std::string::npos);
  ReferenceNumberResult unnumbered = finished();
  unnumbered.reception_number = "abc";
  EXPECT_NE(context_of([&] { decode_reference_number_result(encode_xml(unnumbered)); }).find("ReceptionNumber"),
            std::string::npos);
}

}  // namespace
}  // namespace onshi::ons
