// Request files: what the terminal will read (the codec decodes it back to the patient's card
// data), in Shift_JIS with CP932's own characters, named so an old answer is never taken for a
// new one, and written by rename.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "onshi/core/error.hpp"
#include "onshi/ons/wire_format.hpp"
#include "onshi/ons/xml_codec.hpp"
#include "onshi/receipt/request_file.hpp"
#include "onshi/testing/files.hpp"

namespace onshi::receipt {
namespace {

namespace fs = std::filesystem;

const WallTime kNoon = std::chrono::sys_days{std::chrono::year{2026} / 12 / 1} + std::chrono::hours(3);  // 12:00 JST

TEST(RequestFileTest, BytesDecodeToThePatientsCardDataInEitherEncoding) {
  const population::Population population = population::load_population();
  const population::Patient& p001 = population.patient("P001");
  SessionRequest request;
  request.identifier = "受付-髙～";
  request.encoding = ons::TextEncoding::shift_jis;
  const std::string bytes = request_bytes(request, p001, "1312345678", kNoon);
  EXPECT_NE(bytes.find("encoding=\"Shift_JIS\""), std::string::npos);
  const auto inquiry = ons::decode_search_inquiry(ons::to_canonical(bytes, ons::WireSyntax::xml).xml);
  EXPECT_EQ(inquiry.header.qualification_confirmation_date, "20261201");
  EXPECT_EQ(inquiry.header.arbitrary_file_identifier, "受付-髙～");
  EXPECT_EQ(inquiry.insurer_number, p001.insurance.insurer_number);
  EXPECT_EQ(inquiry.birthdate, p001.birthdate);
  request.body = RequestBody::truncated;
  EXPECT_EQ(request_bytes(request, p001, "1312345678", kNoon).size(), bytes.size() / 2);
}

TEST(RequestFileTest, NamesSkipRequestsAndAnswersAlreadyThere) {
  const fs::path root = fs::temp_directory_path() / ("onshi-request-names-" + std::to_string(::getpid()));
  fs::remove_all(root);
  for (const char* sub : {"req", "res", "trash"}) fs::create_directories(root / sub);
  EXPECT_EQ(free_request_name(root, kNoon, 1), "OQSsiquc01req_20261201_0001.xml");
  std::ofstream(root / "res" / "OQSsiquc01res_20261201_0001.xml") << "old";
  std::ofstream(root / "req" / "OQSsiquc01req_20261201_0002.xml") << "pending";
  std::ofstream(root / "trash" / "OQSsiquc01req_20261201_0003.xml") << "answered";
  EXPECT_EQ(free_request_name(root, kNoon, 1), "OQSsiquc01req_20261201_0004.xml");

  drop_request(root / "req", "OQSsiquc01req_20261201_0004.xml", "<x/>");
  EXPECT_EQ(testing::read_file(root / "req" / "OQSsiquc01req_20261201_0004.xml"), "<x/>");
  std::size_t dot_files = 0;
  for (const auto& e : fs::directory_iterator(root / "req")) dot_files += e.path().filename().string().front() == '.';
  EXPECT_EQ(dot_files, 0U);
  fs::remove_all(root);
}

TEST(RequestFileTest, AMissingReqFolderIsAnErrorNamingIt) {
  try {
    drop_request("/nonexistent/req", "OQSsiquc01req_20261201_0001.xml", "<x/>");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.context(), "/nonexistent/req");
    EXPECT_NE(e.message().find("No such file or directory"), std::string::npos) << e.message();
  }
}

}  // namespace
}  // namespace onshi::receipt
