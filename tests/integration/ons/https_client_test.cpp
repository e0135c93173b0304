// The harness's own HTTPS client and ONS client against the mock ONS: keep-alive,
// reconnects, typed errors and bounded waits.
#include "onshi/tls/https_client.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <thread>

#include "onshi/testing/mock_ons_fixture.hpp"
#include "onshi/testing/process.hpp"
#include "onshi/core/error.hpp"
#include "onshi/ons/ons_client.hpp"
#include "onshi/ons/xml_codec.hpp"

namespace onshi::testing {
namespace {

const tls::HttpHeaders kXml = {{"Content-Type", "application/xml"}};

class HttpsClientTest : public MockOnsTest {};

TEST_F(HttpsClientTest, TwoRequestsShareOneHandshake) {
  tls::HttpsClient client(client_options());
  client.connect("127.0.0.1", port());
  for (const char* patient : {"P001", "P002"}) {
    const tls::HttpResponse r =
        client.request("POST", ons::kCardInquiryPath, kXml, ons::encode_xml(card_inquiry(patient)));
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/xml; charset=UTF-8");
  }
  EXPECT_EQ(client.handshake_count(), 1u);
  EXPECT_EQ(server().stats().handshakes, 1u);
  EXPECT_EQ(server().stats().requests, 2u);
  EXPECT_EQ(client.session().version, "TLSv1.3");
}

TEST_F(HttpsClientTest, ReconnectsWhenTheServerClosedTheConnection) {
  tls::HttpsClient client(client_options());
  client.connect("127.0.0.1", port());
  const tls::HttpResponse first = client.request("POST", ons::kCardInquiryPath,
                                                 {{"Content-Type", "application/xml"}, {"Connection", "close"}},
                                                 ons::encode_xml(card_inquiry("P001")));
  EXPECT_EQ(first.status, 200u);
  const tls::HttpResponse second =
      client.request("POST", ons::kCardInquiryPath, kXml, ons::encode_xml(card_inquiry("P001")));
  EXPECT_EQ(second.status, 200u);
  EXPECT_EQ(client.handshake_count(), 2u);
  EXPECT_EQ(server().stats().handshakes, 2u);
}

class IdleTimeoutTest : public MockOnsTest {
  void customise(mocks::ons::OnsMockOptions& o) override { o.idle_timeout = std::chrono::milliseconds(50); }
};

TEST_F(IdleTimeoutTest, ReconnectsWhenTheServerDroppedAnIdleConnection) {
  tls::HttpsClient client(client_options());
  client.connect("127.0.0.1", port());
  EXPECT_EQ(client.request("POST", ons::kCardInquiryPath, kXml, ons::encode_xml(card_inquiry("P001"))).status, 200u);
  // Wait (bounded) until the mock has dropped the idle connection; the client has not read since.
  for (int i = 0; i < 500 && server().stats().open_connections > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(server().stats().open_connections, 0u);
  EXPECT_TRUE(client.is_connected());
  EXPECT_EQ(client.request("POST", ons::kCardInquiryPath, kXml, ons::encode_xml(card_inquiry("P001"))).status, 200u);
  EXPECT_EQ(client.handshake_count(), 2u);
}

TEST_F(HttpsClientTest, Pkcs1OnlyClientOverTls12) {
  tls::HttpsClientOptions o = client_options();
  o.tls.max_version = tls::TlsVersion::tls1_2;
  o.tls.client_sigalgs = "RSA+SHA256";
  tls::HttpsClient client(o);
  client.connect("127.0.0.1", port());
  EXPECT_EQ(client.session().version, "TLSv1.2");
  const tls::HttpResponse r = client.request("POST", ons::kCardInquiryPath, kXml, ons::encode_xml(card_inquiry("P003")));
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(log().entries().back().client_signature, "rsa_pkcs1_sha256");
}

// A request that does not speak the interface (path, method, media type) is answered, then
// its connection closed (docs/hardening.md "Floods"); the client reconnects for the next one.
// A refusal of what the interface checks keeps the connection.
TEST_F(HttpsClientTest, HttpLevelRefusals) {
  tls::HttpsClient client(client_options());
  client.connect("127.0.0.1", port());
  const std::string xml = ons::encode_xml(card_inquiry("P001"));
  const tls::HttpResponse nowhere = client.request("POST", "/nowhere", kXml, xml);
  EXPECT_EQ(nowhere.status, 404u);
  EXPECT_EQ(nowhere.header("Connection"), "close");
  const tls::HttpResponse get = client.request("GET", ons::kCardInquiryPath);
  EXPECT_EQ(get.status, 405u);
  EXPECT_EQ(get.header("Allow"), "POST");
  EXPECT_EQ(get.header("Connection"), "close");
  EXPECT_EQ(client.request("POST", ons::kCardInquiryPath, {{"Content-Type", "text/plain"}}, xml).status, 415u);
  EXPECT_EQ(client.request("POST", ons::kCardInquiryPath, kXml, xml).status, 200u);
  EXPECT_EQ(client.handshake_count(), 4u) << "one connection per refused request, then one for the answer";
  const tls::HttpResponse again =
      client.request("POST", ons::kCardInquiryPath, kXml, ons::encode_xml(card_inquiry("P002")));  // a fresh challenge
  EXPECT_EQ(again.status, 200u);
  EXPECT_EQ(client.handshake_count(), 4u) << "an answered inquiry keeps its connection";
}

TEST_F(HttpsClientTest, MissingClientCertificateIsATlsError) {
  tls::HttpsClientOptions o = client_options();
  o.tls.cert_file.clear();
  o.tls.key_file.clear();
  tls::HttpsClient client(o);
  try {
    // TLS 1.3: the refusal arrives as an alert after the client's side of the handshake.
    client.connect("127.0.0.1", port());
    client.request("GET", "/");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::tls) << e.what();
    EXPECT_NE(e.message().find("certificate required"), std::string::npos) << e.what();
  }
}

TEST_F(HttpsClientTest, WrongServerNameFailsVerification) {
  tls::HttpsClientOptions o = client_options();
  o.tls.server_name = "ons.example.invalid";
  tls::HttpsClient client(o);
  try {
    client.connect("127.0.0.1", port());
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::tls);
    EXPECT_NE(e.message().find("hostname mismatch"), std::string::npos) << e.what();
  }
}

TEST_F(HttpsClientTest, SilentServerTimesOut) {
  // A listening socket that accepts (kernel backlog) but never speaks TLS.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), len), 0);
  ASSERT_EQ(listen(fd, 4), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  tls::HttpsClientOptions o = client_options();
  o.timeout = std::chrono::milliseconds(300);
  tls::HttpsClient client(o);
  try {
    client.connect("127.0.0.1", ntohs(addr.sin_port));
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::timeout) << e.what();
  }
  EXPECT_FALSE(client.is_connected());
  close(fd);
}

TEST_F(HttpsClientTest, OnsClientDecodesResultsAndTypesRefusals) {
  ons::OnsClientOptions o;
  o.http = client_options();
  o.endpoint.port = port();
  ons::OnsClient client(o);
  const ons::QualificationResult ok = client.inquire(card_inquiry("P001"));
  EXPECT_EQ(ok.body.qualification_validity, ons::QualificationValidity::valid);
  EXPECT_EQ(ok.body.results.at(0).name, "試験　花子");

  try {
    client.inquire(card_inquiry("P001", kOtherTestFacility));
    ADD_FAILURE() << "no error";
  } catch (const ons::OnsStatusError& e) {
    EXPECT_EQ(e.http_status(), 403u);
    EXPECT_EQ(e.code(), ErrorCode::protocol);
    EXPECT_NE(e.context().find("HTTP 403"), std::string::npos) << e.what();
    EXPECT_NE(e.context().find("HIL0403"), std::string::npos) << e.what();
    ASSERT_TRUE(e.result().has_value());
  }

  ons::QualificationSearchInquiry search;
  search.header = {format_jst_date(SystemClock::instance().wall_now()), kTestFacility, std::nullopt};
  search.insurer_number = "39130018";
  search.insured_identification_number = "12345674";
  search.birthdate = "19480923";
  const ons::QualificationResult found = client.inquire(search);
  EXPECT_EQ(found.header.reference_classification, ons::ReferenceClassification::insurance_card_info);
  EXPECT_EQ(found.body.results.at(0).name, "見本　太郎");
  EXPECT_EQ(client.http().handshake_count(), 1u);
}

}  // namespace
}  // namespace onshi::testing
