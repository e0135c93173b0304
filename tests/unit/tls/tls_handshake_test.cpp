// A real handshake against a real server (the embedded mock ONS): a client that trusts the
// wrong CA refuses the server with Error(tls) naming the verification failure; trusting the
// right one, the same client gets through.
#include <gtest/gtest.h>

#include "onshi/core/error.hpp"
#include "onshi/testing/mock_ons_fixture.hpp"
#include "onshi/tls/https_client.hpp"

namespace onshi::testing {
namespace {

class TlsHandshakeTest : public MockOnsTest {};

TEST_F(TlsHandshakeTest, TheRightCaGetsThrough) {
  tls::HttpsClient client(client_options());
  EXPECT_NO_THROW(client.connect("127.0.0.1", port()));
  EXPECT_TRUE(client.is_connected());
}

TEST_F(TlsHandshakeTest, TheWrongCaFailsWithATlsError) {
  tls::HttpsClientOptions o = client_options();
  o.tls.ca_file = paths().foreign_ca_cert();  // the server's certificate is not from this CA
  tls::HttpsClient client(o);
  try {
    client.connect("127.0.0.1", port());
    client.request("GET", "/");
    ADD_FAILURE() << "a server from another CA was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::tls) << e.what();
    EXPECT_NE(e.message().find("certificate verify failed"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(client.is_connected());
}

}  // namespace
}  // namespace onshi::testing
