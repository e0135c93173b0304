#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "onshi/core/error.hpp"
#include "onshi/ons/shift_jis.hpp"
#include "onshi/ons/xml_codec.hpp"
#include "onshi/terminal/answer_writer.hpp"
#include "onshi/testing/error_of.hpp"

namespace onshi::terminal {
namespace {

class AnswerWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("onshi-answer-writer-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  static std::string read(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  std::filesystem::path dir_;
};

const WallTime kAt = std::chrono::sys_days{std::chrono::year{2026} / 12 / 1} + std::chrono::hours(3);

TEST_F(AnswerWriterTest, AnErrorResultIsSegment9Status2WithTheReason) {
  const auto r = error_result(kRequestUnreadable, "request file req/x.xml: truncated", "1312345678", kAt);
  EXPECT_EQ(r.header.segment_of_result, ons::SegmentOfResult::abnormal_end);
  EXPECT_EQ(r.body.processing_result_status, ons::ProcessingResultStatus::error);
  EXPECT_EQ(r.header.error_code, "HIL0801");
  EXPECT_EQ(r.header.error_message, "request file req/x.xml: truncated");
  EXPECT_EQ(r.header.process_execution_time, "20261201120000");  // JST
  // The codec takes it back unchanged.
  EXPECT_EQ(ons::decode_result(ons::encode_xml(r)), r);
}

TEST_F(AnswerWriterTest, Utf8AnswersSayCharacterCodeIdentifier0) {
  const auto r = error_result(kOnsUnreachable, "髙橋～: no answer", "1312345678", kAt);
  const auto file = dir_ / "res" / "OQSsiquc01res_1.xml";
  write_answer(file, ons::encode_xml(r), ons::TextEncoding::utf8);
  const std::string bytes = read(file);
  EXPECT_NE(bytes.find("encoding=\"UTF-8\""), std::string::npos);
  EXPECT_NE(bytes.find("<CharacterCodeIdentifier>0</CharacterCodeIdentifier>"), std::string::npos);
  EXPECT_EQ(ons::decode_result(bytes).header.error_message, "髙橋～: no answer");
}

TEST_F(AnswerWriterTest, ShiftJisAnswersAreCp932AndSayCharacterCodeIdentifier1) {
  const auto r = error_result(kOnsUnreachable, "髙橋～: no answer", "1312345678", kAt);
  const auto file = dir_ / "res" / "OQSsiquc01res_2.xml";
  write_answer(file, ons::encode_xml(r), ons::TextEncoding::shift_jis);
  const std::string bytes = read(file);
  EXPECT_NE(bytes.find("encoding=\"Shift_JIS\""), std::string::npos);
  EXPECT_NE(bytes.find("<CharacterCodeIdentifier>1</CharacterCodeIdentifier>"), std::string::npos);
  EXPECT_NE(bytes.find(ons::utf8_to_shift_jis("髙橋～")), std::string::npos);  // FB FC 8B B4 81 60
  EXPECT_EQ(bytes.find("髙"), std::string::npos);  // no UTF-8 left
}

TEST_F(AnswerWriterTest, ACharacterWithoutAShiftJisFormWritesNothing) {
  const auto r = error_result(kOnsUnreachable, "emoji 😀", "1312345678", kAt);
  const auto file = dir_ / "res" / "OQSsiquc01res_3.xml";
  EXPECT_EQ(testing::error_of([&] { write_answer(file, ons::encode_xml(r), ons::TextEncoding::shift_jis); }).code(),
            ErrorCode::invalid_argument);
  EXPECT_FALSE(std::filesystem::exists(file));
}

}  // namespace
}  // namespace onshi::terminal
