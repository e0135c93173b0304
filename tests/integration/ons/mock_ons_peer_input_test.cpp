// Peer input that used to end the standalone mock ONS or get the wrong answer (issue 14):
// a fault plan holding a byte that is not UTF-8 (abort, exit 134), a number too big for a
// double (abort), a 20 kB URL or a 2 MB body to the admin API (dropped connection instead of
// 414/413), the same bad byte in a JSON inquiry (plain-text 500 instead of an ONS error).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "mock_ons_child.hpp"
#include "onshi/ons/interface_profile.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/testing/signed_card_inquiry.hpp"
#include "onshi/tls/https_client.hpp"

namespace onshi::testing {
namespace {

constexpr const char* kPeerInputTerminal = kTestFacility;
constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

class MockOnsPeerInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto dir = pki::test_pki_dir_from_environment();
    ASSERT_TRUE(dir.has_value()) << "ONSHI_TEST_PKI is not set (register the test with NEEDS_PKI)";
    paths_ = std::make_unique<pki::PkiPaths>(*dir);
    child_ = std::make_unique<MockOnsChild>(ONSHI_ONS_MOCK, *dir);
    ASSERT_TRUE(child_->started()) << child_->output();
  }

  std::string admin(const std::string& method, const std::string& target, const std::string& body = {}) const {
    return admin_exchange(child_->admin_port(), method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                                                    "Content-Type: application/json\r\nContent-Length: " +
                                                    std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
                                                    body);
  }

  // The mock is still there and its admin API still answers.
  void expect_still_serving() {
    ASSERT_TRUE(child_->running()) << "the mock ended with status " << child_->exit_status() << "\n"
                                   << child_->output();
    EXPECT_EQ(http_status_of(admin("GET", "/stats")), 200u) << child_->output();
  }

  // One request over mTLS as a terminal; the raw answer (read until the mock closes).
  std::string ons_exchange(const std::string& request) const {
    const TerminalTlsContext tls(paths_->ons_ca_cert(), paths_->terminal_cert(kPeerInputTerminal),
                                 paths_->terminal_key(kPeerInputTerminal));
    const int fd = connect_loopback(child_->port());
    if (fd < 0) return {};
    timeval limit{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    SSL* ssl = SSL_new(tls.get());
    SSL_set_fd(ssl, fd);
    std::string answer;
    if (SSL_connect(ssl) == 1 && SSL_write(ssl, request.data(), static_cast<int>(request.size())) > 0) {
      char buffer[4096];
      for (int n = 0; (n = SSL_read(ssl, buffer, sizeof buffer)) > 0;) answer.append(buffer, static_cast<std::size_t>(n));
    }
    SSL_free(ssl);
    ::close(fd);
    ERR_clear_error();
    return answer;
  }

  std::unique_ptr<pki::PkiPaths> paths_;
  std::unique_ptr<MockOnsChild> child_;
};

TEST_F(MockOnsPeerInputTest, AFaultPlanWithAByteThatIsNotUtf8Is400WithValidJson) {
  const std::string answer = admin("PUT", "/faults", "{\"rules\":[{\"kind\":\"\xff\"}]}");
  ASSERT_EQ(http_status_of(answer), 400u) << answer << child_->output();
  nlohmann::json body;
  ASSERT_NO_THROW(body = nlohmann::json::parse(http_body_of(answer))) << answer;
  EXPECT_NE(body.at("error").get<std::string>().find(kReplacementCharacter), std::string::npos) << answer;
  expect_still_serving();
}

TEST_F(MockOnsPeerInputTest, AFaultPlanWithANumberTooBigForADoubleIs400) {
  for (const std::string plan : {R"({"seed":1e999})", "5e555"}) {
    const std::string answer = admin("PUT", "/faults", plan);
    EXPECT_EQ(http_status_of(answer), 400u) << plan << "\n" << answer << child_->output();
    expect_still_serving();
  }
}

TEST_F(MockOnsPeerInputTest, AnOversizedUrlIs414AndAnOversizedBodyIs413) {
  const std::string long_url = admin("GET", "/journal?after=" + std::string(20 * 1024, '1'));
  EXPECT_EQ(http_status_of(long_url), 414u) << long_url.substr(0, 200);
  EXPECT_TRUE(nlohmann::json::accept(http_body_of(long_url))) << long_url.substr(0, 200);
  const std::string big_body = admin("PUT", "/faults", std::string(2 * 1024 * 1024, ' '));
  EXPECT_EQ(http_status_of(big_body), 413u) << big_body.substr(0, 200);
  EXPECT_TRUE(nlohmann::json::accept(http_body_of(big_body))) << big_body.substr(0, 200);
  expect_still_serving();
}

TEST_F(MockOnsPeerInputTest, AJsonInquiryWithAByteThatIsNotUtf8GetsAnOnsErrorInJson) {
  const std::string body = "{\"XmlMsg\":{\"MessageHeader\":{\"MedicalInstitutionCode\":\"\xff\"}}}";
  const std::string answer =
      ons_exchange("POST " + ons::default_interface_profile().paths.card + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                   "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                   "\r\nConnection: close\r\n\r\n" + body);
  EXPECT_EQ(http_status_of(answer), 400u) << answer;
  EXPECT_NE(answer.find("Content-Type: application/json"), std::string::npos) << answer;
  nlohmann::json result;
  ASSERT_NO_THROW(result = nlohmann::json::parse(http_body_of(answer))) << answer;
  const std::string text = result.dump();
  EXPECT_NE(text.find("XmlMsg"), std::string::npos) << text;
  EXPECT_NE(text.find("ErrorCode"), std::string::npos) << text;
  expect_still_serving();
}

// The project's HTTPS client sending a body over the mock's 1 MB limit: the mock answers 413
// and reads the rest before closing, so the client gets the answer instead of a reset in the
// middle of its write (which, without MSG_NOSIGNAL, would also be a SIGPIPE in the client).
TEST_F(MockOnsPeerInputTest, AnOversizedInquiryBodyIs413ForTheHttpsClient) {
  tls::HttpsClientOptions options;
  options.tls.ca_file = paths_->ons_ca_cert();
  options.tls.cert_file = paths_->terminal_cert(kPeerInputTerminal);
  options.tls.key_file = paths_->terminal_key(kPeerInputTerminal);
  options.timeout = std::chrono::milliseconds(8000);
  tls::HttpsClient client(options);
  client.connect("127.0.0.1", child_->port());
  const tls::HttpResponse answer = client.request("POST", ons::default_interface_profile().paths.card,
                                                  {{"Content-Type", "application/xml"}},
                                                  std::string(2 * 1024 * 1024, ' '));
  EXPECT_EQ(answer.status, 413u) << answer.body;
  EXPECT_NE(answer.body.find("exceeds"), std::string::npos) << answer.body;
  expect_still_serving();
}

}  // namespace
}  // namespace onshi::testing
