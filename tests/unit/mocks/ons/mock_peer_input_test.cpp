// Peer input the mock ONS echoes (issue 14): a byte that is not UTF-8 in a fault plan, a
// number too big for a double, a URL of raw bytes in the journal. Each used to throw a
// nlohmann::json exception nothing caught on the admin API's path (the mock aborted, exit
// 134); now each is a 400 with valid JSON, or a journal that still serialises.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "onshi/testing/error_of.hpp"
#include "onshi/mocks/ons/admin_api.hpp"
#include "onshi/mocks/ons/fault_plan.hpp"
#include "onshi/mocks/ons/journal.hpp"
#include "onshi/mocks/ons/ons_mock_server.hpp"
#include "onshi/mocks/ons/request_log.hpp"

namespace onshi::testing {
namespace {

using namespace onshi::mocks::ons;

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

TEST(MockPeerInput, ANumberTooBigForADoubleIsAPlanErrorNotAnException) {
  EXPECT_TRUE(throws_error([] { parse_fault_plan(R"({"seed":1e999})", "admin PUT /faults"); }, ErrorCode::config,
                           "admin PUT /faults", "not valid JSON"));
  EXPECT_TRUE(throws_error([] { parse_fault_plan("5e555", "plan.json"); }, ErrorCode::config, "plan.json",
                           "not valid JSON"));
  EXPECT_TRUE(throws_error([] { parse_fault_plan(R"({"rules":[{"kind":"latency","probability":-1e400}]})", "p"); },
                           ErrorCode::config, "p", "not valid JSON"));
}

TEST(MockPeerInput, APlanErrorQuotingAByteThatIsNotUtf8IsValidUtf8) {
  try {
    parse_fault_plan("{\"rules\":[{\"kind\":\"\xff\"}]}", "admin PUT /faults");
    FAIL() << "accepted a plan that is not UTF-8";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).find('\xff'), std::string::npos) << "the raw byte is echoed";
  }
}

class AdminApi : public ::testing::Test {
 protected:
  AdminReply put_faults(const std::string& body) {
    return handle_admin("PUT", "/faults", body, faults_, journal_, OnsMockStats{});
  }
  FaultInjector faults_;
  Journal journal_{100};
};

TEST_F(AdminApi, PutFaultsWithAByteThatIsNotUtf8Is400WithJsonThatReplacesIt) {
  for (const std::string bad : {"\xff", "\xed\xa0\x80" /* a surrogate */, "\xc0\xaf" /* overlong */, "\xe3\x81"}) {
    const AdminReply reply = put_faults("{\"rules\":[{\"kind\":\"" + bad + "\"}]}");
    EXPECT_EQ(reply.status, 400u);
    nlohmann::json body;
    ASSERT_NO_THROW(body = nlohmann::json::parse(reply.body)) << reply.body;
    const std::string message = body.at("error").get<std::string>();
    EXPECT_NE(message.find("not valid JSON"), std::string::npos) << message;
    EXPECT_NE(message.find(kReplacementCharacter), std::string::npos) << message;
    EXPECT_NO_THROW((void)nlohmann::json(message).dump());
  }
  EXPECT_TRUE(faults_.plan().rules.empty()) << "a refused plan must not be installed";
}

TEST_F(AdminApi, PutFaultsWithAnOverflowingNumberIs400) {
  for (const std::string body : {R"({"seed":1e999})", "5e555"}) {
    const AdminReply reply = put_faults(body);
    EXPECT_EQ(reply.status, 400u) << body;
    EXPECT_NE(nlohmann::json::parse(reply.body).at("error").get<std::string>().find("not valid JSON"), std::string::npos);
  }
}

TEST_F(AdminApi, AnUnknownEndpointWithRawBytesInItsPathIsAValidJson404) {
  const AdminReply reply = handle_admin("GET", "/st\xff\xfe" "ats", "", faults_, journal_, OnsMockStats{});
  EXPECT_EQ(reply.status, 404u);
  nlohmann::json body;
  ASSERT_NO_THROW(body = nlohmann::json::parse(reply.body)) << reply.body;
  EXPECT_NE(body.at("error").get<std::string>().find(kReplacementCharacter), std::string::npos);
}

TEST_F(AdminApi, TheJournalOfARequestWithRawBytesInItsTargetStillSerialises) {
  MockLogEntry entry;
  entry.method = "GET";
  entry.target = "/onshi/\xff\xc3";
  entry.note = "bad HTTP request: \x80";
  journal_.record(entry);
  const AdminReply reply = handle_admin("GET", "/journal", "", faults_, journal_, OnsMockStats{});
  ASSERT_EQ(reply.status, 200u);
  nlohmann::json body;
  ASSERT_NO_THROW(body = nlohmann::json::parse(reply.body)) << reply.body;
  ASSERT_EQ(body.size(), 1u);
  EXPECT_EQ(body[0].at("target").get<std::string>(), "/onshi/\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(body[0].at("note").get<std::string>(), "bad HTTP request: \xEF\xBF\xBD");
}

TEST(MockPeerInput, ALogLineStaysOneLineOfValidUtf8WhateverTheTargetHolds) {
  MockLogEntry entry;
  entry.method = "GET";
  entry.target = "/onshi\r\nrequest remote=forged 200\x1b[2J\xff";
  entry.note = "x\ny";
  entry.status = 404;
  const std::string line = format_log_line(entry);
  EXPECT_EQ(line.find('\n'), std::string::npos) << line;
  EXPECT_EQ(line.find('\r'), std::string::npos) << line;
  EXPECT_EQ(line.find('\x1b'), std::string::npos) << line;
  EXPECT_NE(line.find("/onshi\\x0D\\x0Arequest remote=forged 200\\x1B[2J\xEF\xBF\xBD 404"), std::string::npos) << line;
  EXPECT_NE(line.find("note=\"x\\x0Ay\""), std::string::npos) << line;
  std::string as_json;
  EXPECT_NO_THROW(as_json = nlohmann::json(line).dump()) << "not valid UTF-8: " << line;

  MockLogEntry plain;
  plain.method = "POST";
  plain.target = "/onshi/v1/qualification/card";
  plain.status = 200;
  EXPECT_NE(format_log_line(plain).find(" POST /onshi/v1/qualification/card 200"), std::string::npos);
}

}  // namespace
}  // namespace onshi::testing
