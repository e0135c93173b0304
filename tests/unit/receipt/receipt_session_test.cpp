// Session files: the shipped one loads with expectations filled from the population, and every
// mistake is an error naming file, line and key.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "onshi/core/error.hpp"
#include "onshi/receipt/receipt_session.hpp"
#include "onshi/testing/error_of.hpp"

namespace onshi::receipt {
namespace {

class ReceiptSessionTest : public ::testing::Test {
 protected:
  std::filesystem::path write(const std::string& text) const {
    const auto file = std::filesystem::temp_directory_path() /
                      ("onshi-session-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
                       ".toml");
    std::ofstream(file) << text;
    return file;
  }
  std::string error_loading(const std::string& text) const {
    try {
      load_session(write(text), population_);
    } catch (const Error& e) {
      return e.what();
    }
    return "no error";
  }
  const population::Population population_ = population::load_population();
};

constexpr const char* kHead = "schema = \"onshi-hil/receipt-session/1\"\n";

TEST_F(ReceiptSessionTest, TheShippedSessionLoadsWithExpectationsFromThePopulation) {
  const ReceiptSession s = load_session(default_session_file(), population_);
  ASSERT_EQ(s.requests.size(), 4U);
  EXPECT_EQ(s.answer_deadline, std::chrono::milliseconds(30'000));
  const SessionRequest& p001 = s.requests[0];
  EXPECT_EQ(p001.expect.segment_of_result, "1");
  EXPECT_EQ(p001.expect.qualification_validity, "1");
  EXPECT_EQ(p001.expect.name, population_.patient("P001").name);
  EXPECT_EQ(p001.identifier, "rc-search.P001");
  EXPECT_EQ(s.requests[1].encoding, ons::TextEncoding::shift_jis);
  EXPECT_EQ(s.requests[1].identifier, "受付-髙～-0002");
  EXPECT_EQ(s.requests[2].expect.qualification_validity, "3");  // P004: 無効（新しい資格あり）
  EXPECT_EQ(s.requests[3].body, RequestBody::truncated);
  EXPECT_EQ(s.requests[3].expect.segment_of_result, "9");
  EXPECT_EQ(s.requests[3].expect.processing_result_status, "2");
  EXPECT_FALSE(s.requests[3].expect.name.has_value());
}

TEST_F(ReceiptSessionTest, AnExpectOverridesTheDefaults) {
  const ReceiptSession s = load_session(
      write(std::string(kHead) + "[[request]]\nname = \"a\"\npatient = \"P001\"\n[request.expect]\n"
                                 "qualification_validity = \"2\"\nerror_code = \"HIL0430\"\n"),
      population_);
  EXPECT_EQ(s.requests[0].expect.qualification_validity, "2");
  EXPECT_EQ(s.requests[0].expect.error_code, "HIL0430");
  EXPECT_EQ(s.requests[0].expect.processing_result_status, "1");
}

TEST_F(ReceiptSessionTest, MistakesNameFileLineAndKey) {
  const std::string one = "[[request]]\nname = \"a\"\npatient = \"P001\"\n";
  EXPECT_NE(error_loading(std::string(kHead) + one + "colour = \"red\"\n").find("colour"), std::string::npos);
  EXPECT_NE(error_loading(std::string(kHead) + "[[request]]\nname = \"a\"\npatient = \"P999\"\n").find(":4: key 'patient'"),
            std::string::npos)
      << error_loading(std::string(kHead) + "[[request]]\nname = \"a\"\npatient = \"P999\"\n");
  EXPECT_NE(error_loading(std::string(kHead) + one + "encoding = \"euc-jp\"\n").find("key 'encoding'"), std::string::npos);
  EXPECT_NE(error_loading(std::string(kHead) + one + "body = \"json\"\n").find("key 'body'"), std::string::npos);
  EXPECT_NE(error_loading(std::string(kHead) + one + one).find("duplicate request name 'a'"), std::string::npos);
  EXPECT_NE(error_loading(std::string(kHead) + "answer_deadline_ms = 0\n" + one).find("key 'answer_deadline_ms'"),
            std::string::npos);
  EXPECT_NE(error_loading(kHead).find("no [[request]]"), std::string::npos);
  EXPECT_NE(error_loading("schema = \"x\"\n" + one).find("key 'schema'"), std::string::npos);
}

}  // namespace
}  // namespace onshi::receipt
