// The terminal service (onshi/terminal/terminal_service.hpp) against the embedded mock ONS:
// request files dropped into req/ as a receipt computer would, answers read back from res/
// with the ons codecs, the journal read as JSON Lines.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "onshi/config/data_paths.hpp"
#include "onshi/mocks/ons/ons_mock_server.hpp"
#include "onshi/ons/ons_client.hpp"
#include "onshi/ons/shift_jis.hpp"
#include "onshi/ons/xml_codec.hpp"
#include "onshi/terminal/request_name.hpp"
#include "onshi/terminal/terminal_service.hpp"
#include "onshi/testing/mock_ons_fixture.hpp"

namespace onshi::terminal {
namespace {

std::string read(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string sample(const std::string& name) { return read(config::fixtures_dir() / "requests" / name); }

class TerminalServiceTest : public testing::MockOnsTest {
 protected:
  void customise(mocks::ons::OnsMockOptions& o) override { o.service.bulk_ready_after = std::chrono::milliseconds(0); }

  void SetUp() override {
    MockOnsTest::SetUp();
    root_ = std::filesystem::temp_directory_path() /
            ("onshi-terminal-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_ / "staging");
  }
  void TearDown() override {
    std::filesystem::remove_all(root_);
    MockOnsTest::TearDown();
  }

  ons::OnsClientOptions ons_options(std::uint16_t to_port) const {
    ons::OnsClientOptions o;
    o.http = client_options();
    o.endpoint.port = to_port;
    return o;
  }
  TerminalOptions terminal_options(ons::TextEncoding encoding = ons::TextEncoding::utf8) const {
    TerminalOptions t;
    t.root = root_;
    t.facility_code = testing::kTestFacility;
    t.answer_encoding = encoding;
    t.max_request_bytes = 8192;
    t.ons_endpoint = "https://127.0.0.1:" + std::to_string(port());
    return t;
  }
  // Write-then-rename, as a careful receipt computer does.
  void drop(const std::string& name, const std::string& bytes) const {
    std::ofstream(root_ / "staging" / name, std::ios::binary) << bytes;
    std::filesystem::rename(root_ / "staging" / name, root_ / "req" / name);
  }
  std::string answer(const std::string& request_name) const {
    return read(root_ / "res" / response_name(request_name));
  }
  std::vector<nlohmann::json> journal() const {
    std::vector<nlohmann::json> lines;
    std::ifstream in(root_ / "terminal-journal.jsonl");
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
    return lines;
  }

  std::filesystem::path root_;
};

TEST_F(TerminalServiceTest, EveryBadRequestGetsItsErrorAnswerAndTheNextFileIsStillAnswered) {
  ons::OnsClient ons(ons_options(port()));
  TerminalService service(terminal_options(), ons);
  const std::string good = sample("search-P001.xml");
  // name -> (bytes, what the reason must say)
  const std::map<std::string, std::pair<std::string, std::string>> bad{
      {"OQSsiquc01req_20261201_0001.xml", {"<?xml version=\"1.0\"?><XmlMsg><MessageHeader>", "XML"}},
      {"OQSsiquc01req_20261201_0002.xml", {good.substr(0, good.size() / 2), "XML"}},
      {"OQSsiquc01req_20261201_0003.xml", {ons::utf8_to_shift_jis(good), "UTF-8"}},  // declares UTF-8, is CP932
      {"OQSsiquc01req_20261201_0004.xml", {"<?xml version=\"1.0\" encoding=\"EUC-JP\"?><XmlMsg/>", "EUC-JP"}},
      {"OQSsiquc01req_20261201_0005.xml", {good + std::string(9000, ' '), "exceeds the limit of 8192 bytes"}},
      {"OQSsiquc01req_20261201_0006.xml", {"", "empty"}},
      {"OQSsiquc01req_20261201_0007.xml", {std::string(good).replace(good.find("<Birthdate>"), 31, ""), "Birthdate"}},
      {"OQSsiimm01req_20261201_0008.xml", {good, "does not answer OQSsiimm01req_"}},
  };
  for (const auto& [name, file] : bad) drop(name, file.first);
  drop("OQSsiquc01req_20261201_0009.xml", good);
  drop("OQSsiquc01req_20261201_0010.xml", "\xEF\xBB\xBF" + good);  // a UTF-8 BOM, as Windows editors write

  EXPECT_EQ(service.serve_ready(), bad.size() + 2);

  for (const auto& [name, file] : bad) {
    SCOPED_TRACE(name);
    const ons::QualificationResult r = ons::decode_result(answer(name));
    EXPECT_EQ(r.header.segment_of_result, ons::SegmentOfResult::abnormal_end);
    EXPECT_EQ(r.body.processing_result_status, ons::ProcessingResultStatus::error);
    const std::string reason = r.header.error_message.value_or("");
    EXPECT_NE(reason.find("req/" + name), std::string::npos) << reason;
    EXPECT_NE(reason.find(file.second), std::string::npos) << reason;
    EXPECT_EQ(r.header.error_code, name.starts_with("OQSsiimm") ? "HIL0802" : "HIL0801");
  }
  for (const char* name : {"OQSsiquc01req_20261201_0009.xml", "OQSsiquc01req_20261201_0010.xml"}) {
    SCOPED_TRACE(name);
    const ons::QualificationResult ok = ons::decode_result(answer(name));
    EXPECT_EQ(ok.body.processing_result_status, ons::ProcessingResultStatus::normal_end);
    EXPECT_EQ(ok.body.qualification_validity, ons::QualificationValidity::valid);
    EXPECT_EQ(ok.header.arbitrary_file_identifier, "見本-資格確認-P001");
  }

  // Every request taken up into trash/, none left to be answered twice; one journal line each.
  EXPECT_TRUE(std::filesystem::is_empty(root_ / "req"));
  const auto lines = journal();
  ASSERT_EQ(lines.size(), bad.size() + 2);
  for (const auto& line : lines) {
    const std::string request = line.at("request");
    SCOPED_TRACE(request);
    const bool good_one = request.ends_with("_0009.xml") || request.ends_with("_0010.xml");
    EXPECT_EQ(line.at("event"), good_one ? "answered" : "error");
    EXPECT_EQ(line.at("moved_to"), "trash/" + request.substr(4));
    EXPECT_TRUE(std::filesystem::exists(root_ / "trash" / request.substr(4)));
    EXPECT_EQ(line.at("answer"), "res/" + response_name(request.substr(4)));
  }
  EXPECT_EQ(service.serve_ready(), 0U);
}

TEST_F(TerminalServiceTest, AFileNameThatIsNotUtf8IsShownWithQuestionMarksAndStillAnswered) {
  ons::OnsClient ons(ons_options(port()));
  TerminalService service(terminal_options(), ons);
  const std::string odd = "OQSsiquc01req_\xFF\x01.xml";
  drop(odd, "<XmlMsg>");
  drop("OQSsiquc01req_20261201_0002.xml", sample("search-P001.xml"));
  ASSERT_EQ(service.serve_ready(), 2U);
  const ons::QualificationResult bad = ons::decode_result(answer(odd));
  EXPECT_NE(bad.header.error_message->find("request file req/OQSsiquc01req_??.xml: "), std::string::npos)
      << *bad.header.error_message;
  EXPECT_EQ(ons::decode_result(answer("OQSsiquc01req_20261201_0002.xml")).body.processing_result_status,
            ons::ProcessingResultStatus::normal_end);
  EXPECT_EQ(journal().at(1).at("request"), "req/OQSsiquc01req_??.xml");  // name order: 0xFF sorts last
}

TEST_F(TerminalServiceTest, AnAnswerThatCannotBeWrittenIsJournaledNamingTheFileAndTheTerminalGoesOn) {
  ons::OnsClient ons(ons_options(port()));
  TerminalService service(terminal_options(), ons);
  // res/ replaced by a plain file: no answer can be written there (root ignores permissions).
  std::filesystem::remove_all(root_ / "res");
  std::ofstream(root_ / "res") << "not a folder";
  drop("OQSsiquc01req_20261201_0001.xml", sample("search-P001.xml"));
  drop("OQSsiquc01req_20261201_0002.xml", "<XmlMsg>");
  ASSERT_EQ(service.serve_ready(), 2U);
  const auto lines = journal();
  ASSERT_EQ(lines.size(), 2U);
  for (const auto& line : lines) {
    EXPECT_EQ(line.at("event"), "error");
    EXPECT_FALSE(line.contains("answer"));
    const std::string reason = line.at("reason");
    EXPECT_NE(reason.find("the answer res/OQSsiquc01res_2026120"), std::string::npos) << reason;
    EXPECT_NE(reason.find("could not be written"), std::string::npos) << reason;
    EXPECT_NE(reason.find("left in req/"), std::string::npos) << reason;
  }
  // Left for the next run to answer, not retried by this one.
  EXPECT_TRUE(std::filesystem::exists(root_ / "req" / "OQSsiquc01req_20261201_0001.xml"));
  EXPECT_EQ(service.serve_ready(), 0U);
}

TEST_F(TerminalServiceTest, AShiftJisRequestIsReadByItsDeclarationAndAnsweredInTheRigsEncoding) {
  ons::OnsClient ons(ons_options(port()));
  TerminalService service(terminal_options(ons::TextEncoding::shift_jis), ons);
  // The shipped CP932 sample, and one with CRLF line ends, tabs and ～ (U+FF5E) in its identifier.
  std::string crlf = sample("search-P001.xml");
  crlf.replace(crlf.find("見本-資格確認-P001"), std::string("見本-資格確認-P001").size(), "髙～受付");
  for (std::size_t at = 0; (at = crlf.find('\n', at)) != std::string::npos; at += 2) crlf.replace(at, 1, "\r\n");
  for (std::size_t at = 0; (at = crlf.find("  ", at)) != std::string::npos;) crlf.replace(at, 2, "\t");
  crlf.replace(crlf.find("encoding=\"UTF-8\""), 16, "encoding='Shift_JIS'");
  drop("OQSsiquc01req_20261201_0001.xml", sample("search-P001-sjis.xml"));
  drop("OQSsiquc01req_20261201_0002.xml", ons::utf8_to_shift_jis(crlf));
  ASSERT_EQ(service.serve_ready(), 2U);

  const std::string bytes = answer("OQSsiquc01req_20261201_0002.xml");
  EXPECT_NE(bytes.find("encoding=\"Shift_JIS\""), std::string::npos);
  EXPECT_NE(bytes.find("<CharacterCodeIdentifier>1</CharacterCodeIdentifier>"), std::string::npos);
  const ons::QualificationResult r = ons::decode_result(ons::to_canonical(bytes, ons::WireSyntax::xml).xml);
  EXPECT_EQ(r.header.arbitrary_file_identifier, "髙～受付");
  EXPECT_EQ(r.body.qualification_validity, ons::QualificationValidity::valid);
  for (const auto& line : journal()) EXPECT_EQ(line.at("request_encoding"), "shift_jis");
  EXPECT_EQ(ons::decode_result(ons::to_canonical(answer("OQSsiquc01req_20261201_0001.xml"), ons::WireSyntax::xml).xml)
                .body.processing_result_status,
            ons::ProcessingResultStatus::normal_end);
}

TEST_F(TerminalServiceTest, UnreachableOnsGetsAnErrorAnswerNotACrash) {
  ons::OnsClient ons(ons_options(1));  // nothing listens on 127.0.0.1:1
  TerminalService service(terminal_options(), ons);
  drop("OQSsiquc01req_20261201_0001.xml", sample("search-P001.xml"));
  drop("OQSsiquc01req_20261201_0002.xml", sample("search-P001.xml"));
  ASSERT_EQ(service.serve_ready(), 2U);
  for (const char* name : {"OQSsiquc01req_20261201_0001.xml", "OQSsiquc01req_20261201_0002.xml"}) {
    const ons::QualificationResult r = ons::decode_result(answer(name));
    EXPECT_EQ(r.header.segment_of_result, ons::SegmentOfResult::abnormal_end);
    EXPECT_EQ(r.header.error_code, "HIL0803");
    EXPECT_NE(r.header.error_message->find(std::string("req/") + name + ": no answer from the ONS"), std::string::npos)
        << *r.header.error_message;
  }
}

TEST_F(TerminalServiceTest, MedicationAndTheBulkPairAreAnsweredByFile) {
  ons::OnsClient ons(ons_options(port()));
  ons.inquire(card_inquiry("P001"));  // puts P001's consent to medication on record
  TerminalService service(terminal_options(), ons);
  drop("YZKsiquc01req_20261201_0001.xml", sample("medication-P001.xml"));
  drop("OQSmuquc01req_20261201_0002.xml", sample("bulk-submit.xml"));
  ASSERT_EQ(service.serve_ready(), 2U);

  const ons::InformationResult medication =
      ons::decode_information_result(answer("YZKsiquc01req_20261201_0001.xml"), ons::InformationKind::medication);
  EXPECT_EQ(medication.processing_result_status, ons::ProcessingResultStatus::normal_end);
  EXPECT_FALSE(medication.medications.empty());

  const ons::BulkResult receipt = ons::decode_bulk_result(answer("OQSmuquc01req_20261201_0002.xml"));
  EXPECT_EQ(receipt.segment_of_result, ons::SegmentOfResult::processing);
  ASSERT_FALSE(receipt.reception_number.empty());
  std::string fetch = sample("bulk-fetch.xml");
  fetch.replace(fetch.find("00000000000000000000"), 20, receipt.reception_number);
  drop("OQSmuquc02req_20261201_0003.xml", fetch);
  ASSERT_EQ(service.serve_ready(), 1U);
  const ons::BulkResult done = ons::decode_bulk_result(answer("OQSmuquc02req_20261201_0003.xml"));
  EXPECT_EQ(done.segment_of_result, ons::SegmentOfResult::normal_end);
  EXPECT_EQ(done.items.size(), 2U);
}

TEST_F(TerminalServiceTest, AnInformationRequestWithoutConsentRelaysTheOnsRefusal) {
  ons::OnsClient ons(ons_options(port()));
  TerminalService service(terminal_options(), ons);
  drop("TKKsiquc01req_20261201_0001.xml", sample("checkup-P001.xml"));
  ASSERT_EQ(service.serve_ready(), 1U);
  const std::string bytes = answer("TKKsiquc01req_20261201_0001.xml");
  EXPECT_NE(bytes.find("<SegmentOfResult>9</SegmentOfResult>"), std::string::npos) << bytes;
  EXPECT_NE(bytes.find("HIL0430"), std::string::npos) << bytes;
  EXPECT_EQ(journal().at(0).at("event"), "error");
}

}  // namespace
}  // namespace onshi::terminal
