#include "onshi/sut/log_redaction.hpp"

#include <gtest/gtest.h>

namespace onshi::sut {
namespace {

TEST(LogRedaction, APinAfterItsNameIsMasked) {
  EXPECT_EQ(redact_log_line("entered PIN: 1234 at the reader"), "entered PIN: **** at the reader");
  EXPECT_EQ(redact_log_line("pin=\"9876\""), "pin=\"****\"");
  EXPECT_EQ(redact_log_line("暗証番号 5555 を照合"), "暗証番号 **** を照合");
}

TEST(LogRedaction, ATwelveDigitRunKeepsItsLastTwoDigits) {
  EXPECT_EQ(redact_log_line("my number 123456789012 read"), "my number **********12 read");
}

TEST(LogRedaction, OtherNumbersAndWordsAreKept) {
  // Dates, 医療機関コード, file names with timestamps: what a log needs to be read.
  const std::string line = "face/OQSsiquc01res_face_1312345678_20261201120000.xml 2026-12-01 SPINNER 1234567890123";
  EXPECT_EQ(redact_log_line(line), line);
}

}  // namespace
}  // namespace onshi::sut
