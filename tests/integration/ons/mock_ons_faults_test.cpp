// Faults on demand and bad input, over real TLS on 127.0.0.1: a plan installed through the
// loopback admin API (curl) changes what the next inquiries get, and whatever one client
// does (garbage, entities, a slow drip of bytes), the others keep being served.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "onshi/testing/mock_ons_fixture.hpp"
#include "onshi/testing/process.hpp"
#include "onshi/core/error.hpp"
#include "onshi/ons/wire_profile.hpp"
#include "onshi/ons/xml_codec.hpp"

namespace onshi::testing {
namespace {

using mocks::ons::MockLogEntry;
using namespace std::chrono_literals;

class MockOnsFaultsTest : public MockOnsTest {
 protected:
  void customise(mocks::ons::OnsMockOptions& o) override {
    o.admin_port = 0;
    o.read_timeout = std::chrono::milliseconds(1500);
  }

  ProcessResult admin(const std::string& method, const std::string& path, const std::string& body = {}) {
    std::vector<std::string> args = {"curl", "-sS", "--max-time", "5", "-X", method, "-w", "\n%{http_code}"};
    if (!body.empty()) args.insert(args.end(), {"-H", "Content-Type: application/json", "--data-binary", body});
    args.push_back(server().admin_url() + path);
    return run_process(args);
  }

  void install(const std::string& plan) {
    const ProcessResult p = admin("PUT", "/faults", plan);
    ASSERT_EQ(status_and_body(p.out).first, 200u) << p.out << p.err;
  }

  tls::HttpResponse inquire(tls::HttpsClient& client, const std::string& patient = "P001") const {
    return client.request("POST", ons::kCardInquiryPath, {{"Content-Type", "application/xml"}},
                          ons::encode_xml(card_inquiry(patient)));
  }
  tls::HttpResponse inquire_once(std::chrono::milliseconds timeout = 8000ms) const {
    tls::HttpsClientOptions o = client_options();
    o.timeout = timeout;
    tls::HttpsClient client(o);
    client.connect("127.0.0.1", port());
    return inquire(client);
  }
};

TEST_F(MockOnsFaultsTest, AdminApiListensOnLoopbackOnlyAndRejectsBadPlans) {
  EXPECT_EQ(server().admin_url().rfind("http://127.0.0.1:", 0), 0u);
  const ProcessResult bad = admin("PUT", "/faults", R"({"rules":[{"kind":"explode"}]})");
  const auto [status, body] = status_and_body(bad.out);
  EXPECT_EQ(status, 400u);
  EXPECT_NE(body.find("rules[0].kind"), std::string::npos) << body;
  EXPECT_EQ(status_and_body(admin("GET", "/nothing").out).first, 404u);
  EXPECT_EQ(inquire_once().status, 200u);  // the bad plan installed nothing
}

TEST_F(MockOnsFaultsTest, ThrottleAnswers429WithRetryAfterForTheFirstNThenRecovers) {
  install(R"({"rules":[{"kind":"throttle","retry_after_s":30,"first_n":2}]})");
  tls::HttpsClient client(client_options());
  client.connect("127.0.0.1", port());
  const tls::HttpResponse first = inquire(client);
  EXPECT_EQ(first.status, 429u);
  EXPECT_EQ(first.header("Retry-After"), "30");
  EXPECT_EQ(ons::decode_result(first.body).header.error_code, "HIL0429");
  EXPECT_EQ(inquire(client).status, 429u);
  EXPECT_EQ(inquire(client).status, 200u);
  MockLogEntry e;
  ASSERT_TRUE(wait_for_journal_entry([](const MockLogEntry& x) { return x.fault == "throttle"; }, "with fault throttle", &e));
  EXPECT_EQ(e.status, 429u);
}

TEST_F(MockOnsFaultsTest, MaintenanceWindowAnswersOutOfService) {
  install(R"({"rules":[{"kind":"maintenance","for_ms":600000,"retry_after_s":3600}]})");
  const tls::HttpResponse r = inquire_once();
  EXPECT_EQ(r.status, 503u);
  EXPECT_EQ(r.header("Retry-After"), "3600");
  const ons::QualificationResult result = ons::decode_result(r.body);
  EXPECT_EQ(result.header.error_code, "HIL0503");
  EXPECT_EQ(result.header.segment_of_result, ons::SegmentOfResult::abnormal_end);
  ASSERT_EQ(status_and_body(admin("DELETE", "/faults").out).first, 200u);
  EXPECT_EQ(inquire_once().status, 200u);
}

TEST_F(MockOnsFaultsTest, OnsErrorCodeHttpErrorAndProcessingAreShapedLikeOns) {
  install(R"({"rules":[{"kind":"ons_error","error_code":"EQ1234","error_message":"テスト","first_n":1},
                       {"kind":"http_error","status":502,"first_n":1},
                       {"kind":"processing","first_n":1}]})");
  tls::HttpsClient client(client_options());
  client.connect("127.0.0.1", port());
  const tls::HttpResponse e = inquire(client);
  EXPECT_EQ(e.status, 200u);
  EXPECT_EQ(ons::decode_result(e.body).header.error_code, "EQ1234");
  EXPECT_EQ(inquire(client).status, 502u);
  const tls::HttpResponse p = inquire(client);
  EXPECT_EQ(p.status, 200u);
  EXPECT_EQ(ons::decode_result(p.body).header.segment_of_result, ons::SegmentOfResult::processing);
  EXPECT_EQ(inquire(client).status, 200u);
}

TEST_F(MockOnsFaultsTest, LatencyIsJournaledAndTheAnswerIsUnchanged) {
  install(R"({"seed":5,"rules":[{"kind":"latency","latency":{"shape":"uniform","min_ms":20,"max_ms":40}}]})");
  EXPECT_EQ(inquire_once().status, 200u);
  MockLogEntry e;
  ASSERT_TRUE(wait_for_journal_entry([](const MockLogEntry& x) { return x.status == 200; }, "answered 200", &e));
  EXPECT_EQ(e.fault, "latency:uniform");
}

TEST_F(MockOnsFaultsTest, ResetStallAndTlsAlertFailTheClientNotTheServer) {
  install(R"({"rules":[{"kind":"reset","first_n":1}]})");
  EXPECT_THROW(inquire_once(), Error);
  install(R"({"rules":[{"kind":"stall","stall_ms":3000,"first_n":1}]})");
  EXPECT_THROW(inquire_once(800ms), Error);  // times out: no answer comes
  install(R"({"rules":[{"kind":"tls_alert","alert":"access_denied","first_n":1}]})");
  EXPECT_THROW(inquire_once(), Error);
  MockLogEntry alert;
  ASSERT_TRUE(wait_for_journal_entry([](const MockLogEntry& x) { return x.fault == "tls_alert"; }, "with fault tls_alert",
                                     &alert));
  EXPECT_EQ(alert.kind, MockLogEntry::Kind::handshake_failure);
  EXPECT_EQ(inquire_once().status, 200u);
}

TEST_F(MockOnsFaultsTest, SlowDripStillDeliversTheWholeAnswer) {
  install(R"({"rules":[{"kind":"slow_drip","chunk_bytes":512,"interval_ms":5,"first_n":1}]})");
  const tls::HttpResponse r = inquire_once();
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(ons::decode_result(r.body).body.results.at(0).name, "試験　花子");
}

TEST_F(MockOnsFaultsTest, JournalIsReadableThroughTheAdminApi) {
  EXPECT_EQ(inquire_once().status, 200u);
  ASSERT_TRUE(wait_for_journal_entry([](const MockLogEntry& x) { return x.status == 200; }, "answered 200"));
  const auto [status, body] = status_and_body(admin("GET", "/journal?after=0").out);
  ASSERT_EQ(status, 200u);
  const auto j = nlohmann::json::parse(body);
  ASSERT_GE(j.size(), 1u);
  EXPECT_EQ(j.back()["patient_id"], "P001");
  EXPECT_EQ(j.back()["client_serial"], test_pki().terminal(kTestFacility).certificate.serial_hex());
  EXPECT_EQ(status_and_body(admin("GET", "/journal?after=x").out).first, 400u);
}

// --- bad input ---------------------------------------------------------------------------

TEST_F(MockOnsFaultsTest, EntityExpansionWrongEncodingAndWrongContentTypeAreRefusedClearly) {
  tls::HttpsClient client(client_options());
  client.connect("127.0.0.1", port());
  const std::string bomb =
      "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>"
      "<XmlMsg>&b;</XmlMsg>";
  const tls::HttpResponse e = client.request("POST", ons::kCardInquiryPath, {{"Content-Type", "application/xml"}}, bomb);
  EXPECT_EQ(e.status, 400u);
  EXPECT_EQ(ons::decode_result(e.body).header.error_code, "HIL0400");

  const tls::HttpResponse latin = client.request("POST", ons::kCardInquiryPath, {{"Content-Type", "application/xml"}},
                                                 "<?xml version=\"1.0\"?><XmlMsg>\xff\xfe</XmlMsg>");
  EXPECT_EQ(latin.status, 400u);

  const tls::HttpResponse json = client.request("POST", ons::kCardInquiryPath, {{"Content-Type", "text/html"}}, "<p/>");
  EXPECT_EQ(json.status, 415u);
  EXPECT_EQ(inquire(client).status, 200u);  // the same connection still works
}

TEST_F(MockOnsFaultsTest, SlowClientTimesOutAloneWhileOthersAreServed) {
  // A client that sends its headers a byte at a time and never finishes: the read timeout
  // (1.5 s here) ends it; meanwhile real inquiries are answered.
  std::thread slow([this] {
    run_process({"bash", "-c",
                 "(printf 'POST /onshi/v1/qualification/card HTTP/1.1\\r\\n'; for i in 1 2 3 4 5 6; do printf 'X'; sleep 0.5; done)"
                 " | openssl s_client -quiet -connect 127.0.0.1:" + std::to_string(port()) + " -cert " +
                     paths().terminal_cert(kTestFacility).string() + " -key " + paths().terminal_key(kTestFacility).string()},
                {.timeout = std::chrono::seconds(8)});
  });
  for (int i = 0; i < 3; ++i) EXPECT_EQ(inquire_once().status, 200u);
  slow.join();
  EXPECT_TRUE(wait_for_journal_entry([](const MockLogEntry& x) { return x.note == "request read timed out"; },
                                     "noting the read timeout"));
  EXPECT_EQ(inquire_once().status, 200u);
}

}  // namespace
}  // namespace onshi::testing
