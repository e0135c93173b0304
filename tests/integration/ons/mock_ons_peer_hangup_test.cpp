// Peers that hang up must not end the standalone mock ONS (issue 14, item 1). A client that
// sends an inquiry and closes before reading the answer used to kill the process with SIGPIPE
// (status 141) when the mock's next write (close_notify, the rest of an answer) met the
// peer's RST. Here a thousand such clients, in three ways of leaving (FIN after
// "Connection: close", FIN on a keep-alive connection, RST), then a normal inquiry.
#include <gtest/gtest.h>

#include <string>

#include "mock_ons_child.hpp"
#include "onshi/ons/card_inquiry.hpp"
#include "onshi/ons/interface_profile.hpp"
#include "onshi/ons/ons_client.hpp"
#include "onshi/ons/xml_codec.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/testing/signed_card_inquiry.hpp"

namespace onshi::testing {
namespace {

constexpr const char* kTerminal = kTestFacility;
constexpr int kHangups = 1000;

ons::CardQualificationInquiry p001_inquiry(const pki::TestPki& pki) {
  ons::CardQualificationInquiry q = signed_card_inquiry(pki.patient("P001"), {.file_identifier = "HANGUP-P001"});
  q.consents.pharmacists_info = ons::ConsentFlag::consented;
  q.consents.limit_application_certificate = ons::ConsentFlag::not_consented;
  return q;
}

enum class Leaving { fin_after_connection_close, fin_keep_alive, reset };

class MockOnsPeerHangupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto dir = pki::test_pki_dir_from_environment();
    ASSERT_TRUE(dir.has_value()) << "ONSHI_TEST_PKI is not set (register the test with NEEDS_PKI)";
    paths_ = std::make_unique<pki::PkiPaths>(*dir);
    pki_ = pki::load_test_pki(*dir);
    child_ = std::make_unique<MockOnsChild>(ONSHI_ONS_MOCK, *dir);
    ASSERT_TRUE(child_->started()) << child_->output();
    tls_ = std::make_unique<TerminalTlsContext>(paths_->ons_ca_cert(), paths_->terminal_cert(kTerminal),
                                                paths_->terminal_key(kTerminal));
  }

  std::string inquiry_request(bool connection_close) const {
    const std::string body = ons::encode_xml(p001_inquiry(pki_));
    return "POST " + ons::default_interface_profile().paths.card + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
           "Content-Type: application/xml; charset=UTF-8\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n" + (connection_close ? "Connection: close\r\n" : "") + "\r\n" + body;
  }

  // Handshakes, sends `request` and leaves without reading a byte of the answer. False when
  // the connection or the handshake failed (the server must keep accepting either way).
  bool send_and_hang_up(const std::string& request, Leaving leaving) {
    const int fd = connect_loopback(child_->port());
    if (fd < 0) return false;
    SSL* ssl = SSL_new(tls_->get());
    SSL_set_fd(ssl, fd);
    if (session_ != nullptr) SSL_set_session(ssl, session_);
    bool sent = SSL_connect(ssl) == 1 && SSL_write(ssl, request.data(), static_cast<int>(request.size())) > 0;
    if (leaving == Leaving::reset) {
      const linger rst{1, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &rst, sizeof rst);
    }
    ::close(fd);  // no close_notify, no read: the answer meets a closed socket
    SSL_free(ssl);
    ERR_clear_error();
    return sent;
  }

  ons::OnsClient client() const {
    ons::OnsClientOptions o;
    o.http.tls.ca_file = paths_->ons_ca_cert();
    o.http.tls.cert_file = paths_->terminal_cert(kTerminal);
    o.http.tls.key_file = paths_->terminal_key(kTerminal);
    o.http.timeout = std::chrono::milliseconds(8000);
    o.endpoint.port = child_->port();
    return ons::OnsClient(o);
  }

  std::unique_ptr<pki::PkiPaths> paths_;
  pki::TestPki pki_;
  std::unique_ptr<MockOnsChild> child_;
  std::unique_ptr<TerminalTlsContext> tls_;
  SSL_SESSION* session_ = nullptr;
};

TEST_F(MockOnsPeerHangupTest, AThousandClientsThatCloseBeforeTheAnswerLeaveTheMockServing) {
  const std::string close_request = inquiry_request(true);
  const std::string keep_alive_request = inquiry_request(false);
  int sent = 0;
  for (int i = 0; i < kHangups && child_->running(); ++i) {
    const Leaving leaving = static_cast<Leaving>(i % 3);
    if (send_and_hang_up(leaving == Leaving::fin_after_connection_close ? close_request : keep_alive_request,
                         leaving)) {
      ++sent;
    }
  }
  ASSERT_TRUE(child_->running()) << "the mock ended with status " << child_->exit_status()
                                 << " (141 = SIGPIPE) after hang-ups\n"
                                 << child_->output();
  EXPECT_EQ(sent, kHangups) << "some connections or handshakes failed\n" << child_->output();

  const ons::QualificationResult answer = client().inquire(p001_inquiry(pki_));
  EXPECT_EQ(answer.body.processing_result_status, ons::ProcessingResultStatus::normal_end);
  EXPECT_EQ(child_->terminate(), 0) << child_->output();
}

}  // namespace
}  // namespace onshi::testing
