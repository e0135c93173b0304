// The fakes do what their headers promise: EchoIcc echoes and counts resets, SizedAnswerIcc
// answers Le bytes, TestClock moves only when told, signed_card_inquiry's signature verifies.
#include <gtest/gtest.h>

#include "onshi/testing/echo_icc.hpp"
#include "onshi/testing/icc_apdu_channel.hpp"
#include "onshi/crypto/certificate.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/testing/signed_card_inquiry.hpp"
#include "onshi/testing/sized_answer_icc.hpp"
#include "onshi/testing/test_clock.hpp"

namespace onshi::testing {
namespace {

using namespace std::chrono_literals;

TEST(EchoIcc, EchoesWith9000AndCountsPowerCycles) {
  EchoIcc card;
  EXPECT_EQ(card.power_on(), card.atr);
  card.power_off();
  EXPECT_EQ(card.transmit(from_hex("00A4040C02AABB")), from_hex("00A4040C02AABB9000"));
  EXPECT_EQ(card.power_ons, 1);
  EXPECT_EQ(card.power_offs, 1);
}

TEST(SizedAnswerIcc, AnswersAsManyBytesAsLeAsks) {
  SizedAnswerIcc card;
  EXPECT_EQ(card.transmit(from_hex("00B0000004")), from_hex("000102039000"));
  EXPECT_EQ(card.transmit(from_hex("00B0000000")).size(), 256u + 2);  // Le 00 = 256
  const Bytes apdu = extended_apdu(600, 1000);
  EXPECT_EQ(apdu.size(), 7u + 600 + 2);
  EXPECT_EQ(card.transmit(apdu).size(), 1000u + 2);
  EXPECT_EQ(card.last_command, apdu);
}

TEST(IccApduChannel, RecordsWhatItSent) {
  EchoIcc card;
  IccApduChannel channel(card);
  iso7816::CommandApdu read;
  read.ins = 0xB0;
  read.le = 4;
  EXPECT_EQ(channel.transmit(read).sw, 0x9000);
  ASSERT_EQ(channel.sent.size(), 1u);
  EXPECT_EQ(channel.sent[0], from_hex("00B0000004"));
}

TEST(TestClock, MovesOnlyWhenTold) {
  const WallTime start = WallTime{} + 1000h;
  TestClock clock(start);
  const MonotonicTime m0 = clock.monotonic_now();
  EXPECT_EQ(clock.wall_now(), start);
  EXPECT_EQ(clock.monotonic_now(), m0);
  clock.advance(90s);
  EXPECT_EQ(clock.wall_now(), start + 90s);
  EXPECT_EQ(clock.monotonic_now(), m0 + 90s);
  clock.set_wall(start);  // a wall-clock step back leaves monotonic time alone
  EXPECT_EQ(clock.wall_now(), start);
  EXPECT_EQ(clock.monotonic_now(), m0 + 90s);
}

TEST(SignedCardInquiry, CarriesTheCardsCertificateAndAVerifyingSignature) {
  const auto dir = pki::test_pki_dir_from_environment();
  ASSERT_TRUE(dir.has_value()) << "ONSHI_TEST_PKI is not set (register with NEEDS_PKI)";
  const pki::TestPki pki = pki::load_test_pki(*dir);
  const pki::Credential& card = pki.patient("P001");
  const WallTime date = WallTime{} + std::chrono::hours(24 * 20'000);  // 2024-10-04, JST
  ons::CardQualificationInquiry q = signed_card_inquiry(card, {.facility = kOtherTestFacility, .date = date});
  EXPECT_EQ(q.header.medical_institution_code, kOtherTestFacility);
  EXPECT_EQ(q.header.qualification_confirmation_date, "20241004");
  EXPECT_FALSE(q.header.arbitrary_file_identifier.has_value());
  EXPECT_EQ(q.user_authentication_certificate, card.certificate.to_der());
  EXPECT_EQ(q.challenge.size(), 32u);
  EXPECT_TRUE(card.certificate.verify_sha256_pkcs1(q.challenge, q.challenge_signature));
  const Bytes first = q.challenge;
  sign_again(q, card);
  EXPECT_NE(q.challenge, first);
  EXPECT_TRUE(card.certificate.verify_sha256_pkcs1(q.challenge, q.challenge_signature));
  EXPECT_EQ(q.consents, ons::ConsentChoices{});  // left to the test
}

}  // namespace
}  // namespace onshi::testing
