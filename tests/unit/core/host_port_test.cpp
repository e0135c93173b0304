// HOST:PORT as rig files, command lines and URLs spell it: IPv4, names, bracketed IPv6, a
// default port, and every way it can be wrong named in the message.
#include <gtest/gtest.h>

#include <string>

#include "onshi/core/error.hpp"
#include "onshi/core/host_port.hpp"

namespace onshi {
namespace {

TEST(HostPort, ParsesHostsPortsAndBracketedIpv6) {
  HostPort hp = parse_host_port("127.0.0.1:3240");
  EXPECT_EQ(hp.host, "127.0.0.1");
  EXPECT_EQ(hp.port, 3240);
  hp = parse_host_port("[::1]:8443");
  EXPECT_EQ(hp.host, "::1");
  EXPECT_EQ(hp.port, 8443);
  EXPECT_EQ(hp.to_string(), "[::1]:8443");
  EXPECT_EQ(parse_host_port("[fe80::1%lo]:1").host, "fe80::1%lo");
  EXPECT_EQ(parse_host_port("ons.example:65535").port, 65535);
  EXPECT_EQ(parse_host_port("localhost:0").port, 0);  // a listener's "any free port" stays
  EXPECT_EQ(parse_host_port("127.0.0.1:3240").to_string(), "127.0.0.1:3240");
}

TEST(HostPort, DefaultPortOnlyWhenNoneIsGiven) {
  EXPECT_EQ(parse_host_port("127.0.0.1", 35963).port, 35963);
  EXPECT_EQ(parse_host_port("[::1]", 35963).port, 35963);
  EXPECT_EQ(parse_host_port("127.0.0.1:1", 35963).port, 1);
}

std::string message_for(std::string_view text, std::uint16_t default_port = 0) {
  try {
    parse_host_port(text, default_port);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument) << e.what();
    return e.message();
  }
  return "accepted";
}

TEST(HostPort, EachErrorSaysWhatIsWrongWithTheText) {
  EXPECT_EQ(message_for("127.0.0.1"), "missing port in '127.0.0.1' (want HOST:PORT)");
  EXPECT_EQ(message_for(":3240"), "missing host in ':3240' (want HOST:PORT)");
  EXPECT_EQ(message_for(""), "missing host in '' (want HOST:PORT)");
  EXPECT_EQ(message_for("host:"), "bad port '' in 'host:'");
  EXPECT_EQ(message_for("host:80a"), "bad port '80a' in 'host:80a'");
  EXPECT_EQ(message_for("host:123456"), "bad port '123456' in 'host:123456'");
  EXPECT_EQ(message_for("host:65536"), "port out of range (0..65535) in 'host:65536'");
  EXPECT_EQ(message_for("::1:3240"), "an IPv6 address needs brackets: '[::1:3240]' or '[ADDRESS]:PORT'");
  EXPECT_EQ(message_for("[::1:3240"), "unclosed '[' in '[::1:3240' (want [V6]:PORT)");
  EXPECT_EQ(message_for("[::1]3240"), "expected ':PORT' after ']' in '[::1]3240'");
  EXPECT_EQ(message_for("[]:3240"), "missing host in '[]:3240' (want HOST:PORT)");
}

TEST(HttpsUrl, SplitsEndpointAndPath) {
  const HttpsUrl u = parse_https_url("https://[::1]:8443/onshi/v1/qualification/card");
  EXPECT_EQ(u.endpoint.host, "::1");
  EXPECT_EQ(u.endpoint.port, 8443);
  EXPECT_EQ(u.path, "/onshi/v1/qualification/card");
  EXPECT_EQ(parse_https_url("https://127.0.0.1:44335").path, "/");
}

TEST(HttpsUrl, ErrorsNameTheUrl) {
  try {
    parse_https_url("http://127.0.0.1:80/");
    FAIL() << "http:// accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.message(), "URL must start with https://: 'http://127.0.0.1:80/'");
  }
  try {
    parse_https_url("https://ons.example/path");  // no port: no real ONS on 443 is assumed
    FAIL() << "a URL without a port accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.message(), "in URL 'https://ons.example/path': missing port in 'ons.example' (want HOST:PORT)");
  }
}

}  // namespace
}  // namespace onshi
