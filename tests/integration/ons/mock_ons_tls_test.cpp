// The mock ONS seen by independent Debian clients (curl, openssl s_client) over 127.0.0.1:
// what the TLS front door accepts and refuses, and a full inquiry for patient P001.
#include <gtest/gtest.h>

#include <algorithm>

#include "onshi/testing/mock_ons_fixture.hpp"
#include "onshi/testing/process.hpp"
#include "onshi/ons/wire_profile.hpp"
#include "onshi/ons/xml_codec.hpp"

namespace onshi::testing {
namespace {

using mocks::ons::MockLogEntry;

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

class MockOnsTlsTest : public MockOnsTest {
 protected:
  // curl POST of an encoded inquiry as `facility`'s terminal.
  ProcessResult post_inquiry(const std::string& xml, const std::string& terminal = kTestFacility) const {
    const auto body = write_temp("request.xml", xml);
    std::vector<std::string> args = curl_as(terminal);
    args.insert(args.end(), {"-H", "Content-Type: application/xml", "--data-binary", "@" + body.string(),
                             url(ons::kCardInquiryPath)});
    return run_process(args);
  }

  std::vector<std::string> s_client(std::vector<std::string> extra) const {
    std::vector<std::string> args = {"openssl", "s_client", "-connect",
                                     "127.0.0.1:" + std::to_string(port()),
                                     "-CAfile", paths().ons_ca_cert().string(), "-verify_return_error"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  // A raw HTTP/1.1 request for s_client's stdin; the server closes after answering.
  std::string raw_request(const std::string& xml) const {
    return "POST " + std::string(ons::kCardInquiryPath) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
           "Content-Type: application/xml\r\nContent-Length: " + std::to_string(xml.size()) +
           "\r\nConnection: close\r\n\r\n" + xml;
  }

  std::vector<MockLogEntry> requests() {
    std::vector<MockLogEntry> out;
    for (const auto& e : log().entries()) {
      if (e.kind == MockLogEntry::Kind::request) out.push_back(e);
    }
    return out;
  }
};

TEST_F(MockOnsTlsTest, CurlWithTerminalCertificateGetsP001sQualification) {
  const ProcessResult p = post_inquiry(ons::encode_xml(card_inquiry("P001")));
  ASSERT_EQ(p.exit_code, 0) << p.err;
  const auto [status, body] = status_and_body(p.out);
  ASSERT_EQ(status, 200u) << body;
  const ons::QualificationResult result = ons::decode_result(body);
  EXPECT_EQ(result.header.medical_institution_code, kTestFacility);
  EXPECT_EQ(result.header.arbitrary_file_identifier, "IT-P001");
  EXPECT_EQ(result.body.qualification_validity, ons::QualificationValidity::valid);
  ASSERT_EQ(result.body.results.size(), 1u);
  const ons::QualificationRecord& r = result.body.results[0];
  EXPECT_EQ(r.name, "試験　花子");
  EXPECT_EQ(r.name_kana, "ｼｹﾝ ﾊﾅｺ");
  ASSERT_TRUE(r.pharmacists_info_consent && r.pharmacists_info_consent->cons_time);
  EXPECT_TRUE(r.pharmacists_info_consent->available_time.has_value());
  ASSERT_EQ(requests().size(), 1u);
  EXPECT_EQ(requests()[0].patient_id, "P001");
  EXPECT_EQ(requests()[0].facility_code, kTestFacility);
}

TEST_F(MockOnsTlsTest, CurlWithoutClientCertificateIsRefused) {
  std::vector<std::string> args = curl({}, {});
  args.push_back(url(ons::kCardInquiryPath));
  const ProcessResult p = run_process(args);
  EXPECT_NE(p.exit_code, 0);
  EXPECT_TRUE(contains(p.err, "certificate required") || contains(p.err, "handshake failure")) << p.err;
  // The peer may see the alert before the mock's handshake worker has journaled it.
  ASSERT_TRUE(wait_for_journal_entry([](const MockLogEntry& x) { return x.kind == MockLogEntry::Kind::handshake_failure; },
                                     "a handshake failure"));
  EXPECT_EQ(server().stats().requests, 0u);
  EXPECT_GE(server().stats().handshake_failures, 1u);
}

TEST_F(MockOnsTlsTest, SClientWithoutClientCertificateIsRefusedOverTls12) {
  const ProcessResult p = run_process(s_client({"-tls1_2"}));
  EXPECT_NE(p.exit_code, 0);
  EXPECT_TRUE(contains(p.err, "alert handshake failure")) << p.err;
  EXPECT_EQ(server().stats().handshakes, 0u);
}

TEST_F(MockOnsTlsTest, SessionTicketsResumeOnEveryWorkerThread) {
  // Each worker thread has its own SSL_CTX; they share ticket keys, so a session from one
  // connection resumes on the next whichever worker takes it (connections alternate).
  const std::string session_file = write_temp("session.pem", "").string();
  for (int i = 0; i < 4; ++i) {
    const std::string xml = ons::encode_xml(card_inquiry("P001"));  // a fresh challenge each time
    std::vector<std::string> extra = {"-cert", paths().terminal_cert(kTestFacility).string(), "-key",
                                      paths().terminal_key(kTestFacility).string(), "-ign_eof", "-sess_out", session_file};
    if (i > 0) extra.insert(extra.end(), {"-sess_in", session_file});
    const ProcessResult p = run_process(s_client(extra), {.stdin_data = raw_request(xml)});
    ASSERT_TRUE(contains(p.out, "HTTP/1.1 200")) << p.out << p.err;
    if (i > 0) {
      EXPECT_TRUE(contains(p.out, "Reused, TLSv1.3")) << "connection " << i << ":\n" << p.out;
    }
  }
}

TEST_F(MockOnsTlsTest, CertificateFromAForeignCaIsRefused) {
  // Same facility code in the subject, but issued by a CA the mock does not trust.
  std::vector<std::string> args = curl(paths().foreign_terminal_cert(), paths().foreign_terminal_key());
  args.push_back(url(ons::kCardInquiryPath));
  const ProcessResult p = run_process(args);
  EXPECT_NE(p.exit_code, 0);
  EXPECT_TRUE(contains(p.err, "unknown ca")) << p.err;
  ASSERT_TRUE(wait_for_journal_entry([](const MockLogEntry& x) { return x.kind == MockLogEntry::Kind::handshake_failure; },
                                     "a handshake failure"));
  EXPECT_EQ(server().stats().requests, 0u);
}

TEST_F(MockOnsTlsTest, Tls11IsRefused) {
  // SECLEVEL=0 so the *client* really offers TLS 1.1 and the refusal is the server's.
  const ProcessResult s = run_process(s_client({"-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0", "-cert",
                                                paths().terminal_cert(kTestFacility).string(), "-key",
                                                paths().terminal_key(kTestFacility).string()}));
  EXPECT_NE(s.exit_code, 0);
  EXPECT_TRUE(contains(s.err, "protocol version")) << s.err;

  std::vector<std::string> args = curl_as(kTestFacility);
  args.insert(args.end(), {"--tlsv1.1", "--tls-max", "1.1", "--ciphers", "DEFAULT@SECLEVEL=0",
                           url(ons::kCardInquiryPath)});
  const ProcessResult c = run_process(args);
  EXPECT_NE(c.exit_code, 0);
  EXPECT_TRUE(contains(c.err, "protocol version")) << c.err;
  EXPECT_EQ(server().stats().handshakes, 0u);
}

TEST_F(MockOnsTlsTest, Tls12WithPkcs1ClientSignatureIsAccepted) {
  // A terminal key that can only sign PKCS#1 v1.5 (a token) must work over TLS 1.2.
  const ProcessResult p = run_process(
      s_client({"-tls1_2", "-client_sigalgs", "rsa_pkcs1_sha256", "-cert", paths().terminal_cert(kTestFacility).string(),
                "-key", paths().terminal_key(kTestFacility).string(), "-quiet"}),
      {.stdin_data = raw_request(ons::encode_xml(card_inquiry("P002")))});
  EXPECT_TRUE(p.out.rfind("HTTP/1.1 200", 0) == 0) << p.out << p.err;
  ASSERT_EQ(requests().size(), 1u);
  EXPECT_EQ(requests()[0].tls_version, "TLSv1.2");
  EXPECT_EQ(requests()[0].client_signature, "rsa_pkcs1_sha256");
  EXPECT_EQ(requests()[0].patient_id, "P002");
}

TEST_F(MockOnsTlsTest, Tls13IsAccepted) {
  const ProcessResult p = run_process(
      s_client({"-tls1_3", "-cert", paths().terminal_cert(kTestFacility).string(), "-key",
                paths().terminal_key(kTestFacility).string(), "-quiet"}),
      {.stdin_data = raw_request(ons::encode_xml(card_inquiry("P001")))});
  EXPECT_TRUE(p.out.rfind("HTTP/1.1 200", 0) == 0) << p.out << p.err;
  ASSERT_EQ(requests().size(), 1u);
  EXPECT_EQ(requests()[0].tls_version, "TLSv1.3");
  EXPECT_TRUE(requests()[0].client_signature.rfind("rsa_pss", 0) == 0) << requests()[0].client_signature;
}

TEST_F(MockOnsTlsTest, FacilityMismatchIs403) {
  // The request claims facility 1312345678 but the TLS client certificate is 2798765432's.
  const ProcessResult p = post_inquiry(ons::encode_xml(card_inquiry("P001", kTestFacility)), kOtherTestFacility);
  ASSERT_EQ(p.exit_code, 0) << p.err;
  const auto [status, body] = status_and_body(p.out);
  EXPECT_EQ(status, 403u);
  const ons::QualificationResult result = ons::decode_result(body);
  EXPECT_EQ(result.header.error_code, "HIL0403");
  EXPECT_EQ(result.body.processing_result_status, ons::ProcessingResultStatus::error);
}

TEST_F(MockOnsTlsTest, BadSignatureIsRejected) {
  ons::CardQualificationInquiry q = card_inquiry("P001");
  q.challenge_signature.back() ^= 0x80;
  const ProcessResult p = post_inquiry(ons::encode_xml(q));
  ASSERT_EQ(p.exit_code, 0) << p.err;
  const auto [status, body] = status_and_body(p.out);
  EXPECT_EQ(status, 403u);
  EXPECT_EQ(ons::decode_result(body).header.error_code, "HIL0412");
  EXPECT_TRUE(requests().at(0).patient_id.empty());
}

TEST_F(MockOnsTlsTest, MalformedXmlIs400WithAnXmlErrorResult) {
  const ProcessResult p = post_inquiry("<XmlMsg><MessageHeader>");
  ASSERT_EQ(p.exit_code, 0) << p.err;
  const auto [status, body] = status_and_body(p.out);
  EXPECT_EQ(status, 400u);
  const ons::QualificationResult result = ons::decode_result(body);
  EXPECT_EQ(result.body.processing_result_status, ons::ProcessingResultStatus::error);
  ASSERT_TRUE(result.header.error_message.has_value());
  EXPECT_TRUE(contains(*result.header.error_message, "not well-formed")) << *result.header.error_message;
}

TEST_F(MockOnsTlsTest, OversizedBodyIs413AndTheServerKeepsServing) {
  const ProcessResult big = post_inquiry(std::string(std::size_t{2} << 20, 'x'));
  const auto [status, body] = status_and_body(big.out);
  EXPECT_EQ(status, 413u) << big.err;
  // Garbage that is not even TLS, then a normal inquiry on a new connection.
  std::vector<std::string> raw = {"bash", "-c",
                                  "exec 3<>/dev/tcp/127.0.0.1/" + std::to_string(server().port()) +
                                      " && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 && timeout 2 cat <&3 >/dev/null"};
  run_process(raw);
  const ProcessResult ok = post_inquiry(ons::encode_xml(card_inquiry("P001")));
  EXPECT_EQ(status_and_body(ok.out).first, 200u) << ok.err;
}

}  // namespace
}  // namespace onshi::testing
