// JpkiClient against a scripted gMock channel: the exact APDUs it sends, and how it turns
// every unexpected status word into Error(card) naming the operation.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "onshi/core/error.hpp"
#include "onshi/crypto/certificate.hpp"
#include "onshi/jpki/jpki_client.hpp"

namespace onshi::testing {
namespace {

using iso7816::CommandApdu;
using iso7816::ResponseApdu;
using jpki::JpkiClient;
using jpki::PinVerification;
using ::testing::InSequence;
using ::testing::Return;
using ::testing::StrictMock;
using ::testing::Throw;

class MockApduChannel : public iso7816::ApduChannel {
 public:
  MOCK_METHOD(ResponseApdu, transmit, (const CommandApdu& command), (override));
};

MATCHER_P(Encodes, hex, "encodes to " + std::string(hex)) {
  const Bytes expected = from_hex(hex);
  *result_listener << "encodes to " << to_hex(arg.encode(), " ");
  return arg.encode() == expected;
}

ResponseApdu reply(std::string_view hex) { return ResponseApdu::parse(from_hex(hex)); }
ResponseApdu reply(const Bytes& data, std::uint16_t sw) {
  ResponseApdu r;
  r.data = data;
  r.sw = sw;
  return r;
}

constexpr const char* select_auth_pin = "00 A4 02 0C 02 00 18";
constexpr const char* select_auth_cert = "00 A4 02 0C 02 00 0A";

// Runs `operation`, expects Error(code) and returns it for further checks.
template <typename Operation>
Error expect_error(ErrorCode code, Operation operation) {
  try {
    operation();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    return e;
  }
  ADD_FAILURE() << "expected Error(" << to_string(code) << ")";
  return Error(code, "not thrown");
}

class JpkiClientScriptedTest : public ::testing::Test {
 protected:
  StrictMock<MockApduChannel> channel_;
  JpkiClient client_{channel_};
};

TEST_F(JpkiClientScriptedTest, SelectJpkiApSendsSelectByDfNameWithoutFci) {
  EXPECT_CALL(channel_, transmit(Encodes("00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01"))).WillOnce(Return(reply("9000")));
  client_.select_jpki_ap();
}

TEST_F(JpkiClientScriptedTest, SelectApNotFoundThrowsCardErrorNamingTheOperation) {
  EXPECT_CALL(channel_, transmit(Encodes("00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01"))).WillOnce(Return(reply("6A82")));
  const Error e = expect_error(ErrorCode::card, [&] { client_.select_jpki_ap(); });
  EXPECT_EQ(e.context(), "SELECT JPKI AP");
  EXPECT_EQ(e.message(), "6A82 file or application not found");
}

TEST_F(JpkiClientScriptedTest, SelectEfFailureNamesTheFile) {
  EXPECT_CALL(channel_, transmit(Encodes(select_auth_cert))).WillOnce(Return(reply("6986")));
  const Error e = expect_error(ErrorCode::card, [&] { client_.select_ef(jpki::ef::auth_certificate); });
  EXPECT_EQ(e.context(), "SELECT EF 000A");
}

TEST_F(JpkiClientScriptedTest, ReadBinaryFileProbesTheHeaderThenReadsExactChunks) {
  // 30 82 02 10: a SEQUENCE of 0x210 content bytes, 532 bytes in all.
  Bytes object = from_hex("30 82 02 10");
  for (std::size_t i = 0; i < 0x210; ++i) object.push_back(static_cast<std::uint8_t>(i));
  const auto slice = [&](std::size_t offset, std::size_t count) {
    return Bytes(object.begin() + static_cast<std::ptrdiff_t>(offset),
                 object.begin() + static_cast<std::ptrdiff_t>(offset + count));
  };
  InSequence in_order;
  EXPECT_CALL(channel_, transmit(Encodes(select_auth_cert))).WillOnce(Return(reply("9000")));
  EXPECT_CALL(channel_, transmit(Encodes("00 B0 00 00 07"))).WillOnce(Return(reply(slice(0, 7), 0x9000)));
  EXPECT_CALL(channel_, transmit(Encodes("00 B0 00 07 00"))).WillOnce(Return(reply(slice(7, 256), 0x9000)));
  EXPECT_CALL(channel_, transmit(Encodes("00 B0 01 07 00"))).WillOnce(Return(reply(slice(263, 256), 0x9000)));
  EXPECT_CALL(channel_, transmit(Encodes("00 B0 02 07 0D"))).WillOnce(Return(reply(slice(519, 13), 0x9000)));
  EXPECT_EQ(client_.read_der_file(jpki::ef::auth_certificate), object);
}

TEST_F(JpkiClientScriptedTest, ReadBinaryRetriesWithTheLengthA6CxxNames) {
  InSequence in_order;
  EXPECT_CALL(channel_, transmit(Encodes("00 B0 00 00 07"))).WillOnce(Return(reply("6C05")));
  EXPECT_CALL(channel_, transmit(Encodes("00 B0 00 00 05"))).WillOnce(Return(reply("04 03 01 02 03 9000")));
  EXPECT_EQ(client_.read_binary_file(), from_hex("04 03 01 02 03"));
}

TEST_F(JpkiClientScriptedTest, ReadBinaryErrorNamesEfAndOffset) {
  InSequence in_order;
  EXPECT_CALL(channel_, transmit(Encodes(select_auth_cert))).WillOnce(Return(reply("9000")));
  EXPECT_CALL(channel_, transmit(Encodes("00 B0 00 00 07"))).WillOnce(Return(reply("30 82 01 00 00 00 00 9000")));
  EXPECT_CALL(channel_, transmit(Encodes("00 B0 00 07 FD"))).WillOnce(Return(reply("6982")));
  const Error e = expect_error(ErrorCode::card, [&] { client_.read_der_file(jpki::ef::auth_certificate); });
  EXPECT_EQ(e.context(), "READ BINARY EF 000A at offset 7");
  EXPECT_EQ(e.message(), "6982 security status not satisfied");
}

TEST_F(JpkiClientScriptedTest, MoreBytesThanLeIsAProtocolError) {
  EXPECT_CALL(channel_, transmit(Encodes("00 B0 00 00 02"))).WillOnce(Return(reply("01 02 03 9000")));
  expect_error(ErrorCode::protocol, [&] { client_.read_binary(0, 2); });
}

TEST_F(JpkiClientScriptedTest, IndefiniteLengthIsMalformed) {
  EXPECT_CALL(channel_, transmit(Encodes("00 B0 00 00 07"))).WillOnce(Return(reply("30 80 02 01 00 00 00 9000")));
  expect_error(ErrorCode::malformed_input, [&] { client_.read_binary_file(); });
}

TEST_F(JpkiClientScriptedTest, VerifySendsTheAsciiPinToTheSelectedPinEf) {
  InSequence in_order;
  EXPECT_CALL(channel_, transmit(Encodes(select_auth_pin))).WillOnce(Return(reply("9000")));
  EXPECT_CALL(channel_, transmit(Encodes("00 20 00 80 04 31 32 33 34"))).WillOnce(Return(reply("9000")));
  const PinVerification result = client_.verify_auth_pin("1234");
  EXPECT_TRUE(result.verified());
  EXPECT_EQ(result.status_word, 0x9000);
}

TEST_F(JpkiClientScriptedTest, VerifyMapsEveryPinStatusWord) {
  const struct {
    const char* sw;
    PinVerification::Outcome outcome;
    unsigned tries_left;
  } cases[] = {{"9000", PinVerification::Outcome::verified, 0},
               {"63C2", PinVerification::Outcome::wrong_pin, 2},
               {"63C0", PinVerification::Outcome::wrong_pin, 0},
               {"6983", PinVerification::Outcome::blocked, 0},
               {"6984", PinVerification::Outcome::blocked, 0}};
  for (const auto& c : cases) {
    EXPECT_CALL(channel_, transmit(Encodes(select_auth_pin))).WillOnce(Return(reply("9000")));
    EXPECT_CALL(channel_, transmit(Encodes("00 20 00 80 04 31 32 33 34"))).WillOnce(Return(reply(c.sw)));
    const PinVerification result = client_.verify_auth_pin("1234");
    EXPECT_EQ(result.outcome, c.outcome) << c.sw;
    EXPECT_EQ(result.tries_left, c.tries_left) << c.sw;
    ::testing::Mock::VerifyAndClearExpectations(&channel_);
  }
}

TEST_F(JpkiClientScriptedTest, VerifyUnexpectedStatusIsACardErrorWithoutThePin) {
  EXPECT_CALL(channel_, transmit(Encodes(select_auth_pin))).WillOnce(Return(reply("9000")));
  EXPECT_CALL(channel_, transmit(Encodes("00 20 00 80 04 35 37 39 31"))).WillOnce(Return(reply("6700")));
  const Error e = expect_error(ErrorCode::card, [&] { client_.verify_auth_pin("5791"); });
  EXPECT_EQ(e.context(), "VERIFY EF 0018");
  EXPECT_EQ(std::string(e.what()).find("5791"), std::string::npos) << e.what();
  EXPECT_EQ(std::string(e.what()).find("35 37 39 31"), std::string::npos) << e.what();
  EXPECT_EQ(std::string(e.what()).find("35373931"), std::string::npos) << e.what();
}

TEST_F(JpkiClientScriptedTest, TriesLeftQueriesWithAnEmptyVerify) {
  const struct {
    const char* sw;
    std::optional<unsigned> tries_left;
  } cases[] = {{"63C3", 3u}, {"63C1", 1u}, {"6984", 0u}, {"6983", 0u}, {"9000", std::nullopt}};
  for (const auto& c : cases) {
    EXPECT_CALL(channel_, transmit(Encodes(select_auth_pin))).WillOnce(Return(reply("9000")));
    EXPECT_CALL(channel_, transmit(Encodes("00 20 00 80"))).WillOnce(Return(reply(c.sw)));
    EXPECT_EQ(client_.auth_pin_tries_left(), c.tries_left) << c.sw;
    ::testing::Mock::VerifyAndClearExpectations(&channel_);
  }
}

TEST_F(JpkiClientScriptedTest, TriesLeftUnexpectedStatusIsACardError) {
  EXPECT_CALL(channel_, transmit(Encodes(select_auth_pin))).WillOnce(Return(reply("9000")));
  EXPECT_CALL(channel_, transmit(Encodes("00 20 00 80"))).WillOnce(Return(reply("6986")));
  const Error e = expect_error(ErrorCode::card, [&] { client_.auth_pin_tries_left(); });
  EXPECT_EQ(e.context(), "VERIFY EF 0018 (tries left)");
}

TEST_F(JpkiClientScriptedTest, SignSelectsTheKeyAndSendsTheJpkiSignCommand) {
  const Bytes digest_info = crypto::sha256_digest_info(to_bytes("abc"));
  const Bytes signature(256, 0xA5);
  InSequence in_order;
  EXPECT_CALL(channel_, transmit(Encodes("00 A4 02 0C 02 00 17"))).WillOnce(Return(reply("9000")));
  EXPECT_CALL(channel_, transmit(Encodes("80 2A 00 80 33 " + to_hex(digest_info) + " 00")))
      .WillOnce(Return(reply(signature, 0x9000)));
  EXPECT_EQ(client_.sign_with_auth_key(digest_info), signature);
}

TEST_F(JpkiClientScriptedTest, SignRefusedIsACardErrorNamingTheKey) {
  InSequence in_order;
  EXPECT_CALL(channel_, transmit(Encodes("00 A4 02 0C 02 00 17"))).WillOnce(Return(reply("9000")));
  EXPECT_CALL(channel_, transmit(::testing::_)).WillOnce(Return(reply("6982")));
  const Error e = expect_error(ErrorCode::card,
                               [&] { client_.sign_with_auth_key(crypto::sha256_digest_info(to_bytes("abc"))); });
  EXPECT_EQ(e.context(), "SIGN with EF 0017");
  EXPECT_EQ(e.message(), "6982 security status not satisfied");
}

TEST_F(JpkiClientScriptedTest, SignatureOfTheWrongSizeIsAProtocolError) {
  InSequence in_order;
  EXPECT_CALL(channel_, transmit(Encodes("00 A4 02 0C 02 00 17"))).WillOnce(Return(reply("9000")));
  EXPECT_CALL(channel_, transmit(::testing::_)).WillOnce(Return(reply(Bytes(128, 1), 0x9000)));
  expect_error(ErrorCode::protocol, [&] { client_.sign_with_auth_key(crypto::sha256_digest_info(to_bytes("abc"))); });
}

TEST_F(JpkiClientScriptedTest, DigestInfoOverAShortLcIsRefusedWithoutSending) {
  expect_error(ErrorCode::invalid_argument, [&] { client_.sign_with_auth_key(Bytes(256, 0)); });
  expect_error(ErrorCode::invalid_argument, [&] { client_.sign_with_auth_key(Bytes{}); });
}

TEST_F(JpkiClientScriptedTest, TransportFailuresPropagateUnchanged) {
  EXPECT_CALL(channel_, transmit(::testing::_))
      .WillOnce(Throw(Error(ErrorCode::device, "card removed", "slot 0")));
  const Error e = expect_error(ErrorCode::device, [&] { client_.select_jpki_ap(); });
  EXPECT_EQ(e.message(), "card removed");
}

}  // namespace
}  // namespace onshi::testing
