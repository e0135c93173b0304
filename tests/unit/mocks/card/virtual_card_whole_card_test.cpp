// The rest of the card beyond user authentication: the signature key and password, the
// 券面事項入力補助AP, the 券面AP, PIN change, 特定機関認証 and state across power cycles.
#include "onshi/testing/icc_apdu_channel.hpp"
#include "onshi/core/error.hpp"
#include "onshi/crypto/certificate.hpp"
#include "onshi/jpki/application_ids.hpp"
#include "onshi/jpki/card_info.hpp"
#include "onshi/jpki/jpki_client.hpp"
#include "onshi/jpki/my_number.hpp"
#include "virtual_card_fixture.hpp"

namespace onshi::testing {
namespace {

using jpki::JpkiClient;
using mocks::card::CardProfile;

constexpr std::string_view select_kenhojo = "00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 08";
constexpr std::string_view select_kenkaku = "00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 02";

class WholeCardTest : public VirtualCardTest {
 protected:
  JpkiClient client() {
    channel_ = std::make_unique<IccApduChannel>(*card_);
    return JpkiClient(*channel_);
  }
  std::unique_ptr<IccApduChannel> channel_;
};

TEST_F(WholeCardTest, SignCertificateNeedsTheSignPassword) {
  enter_jpki();
  ASSERT_EQ(sw("00 A4 02 0C 02 00 01"), 0x9000);
  EXPECT_EQ(sw("00 B0 00 00 07"), 0x6982);
  ASSERT_EQ(sw("00 A4 02 0C 02 00 1B"), 0x9000);
  EXPECT_EQ(sw("00 20 00 80"), 0x63C5);  // five tries
  EXPECT_EQ(sw("00 20 00 80 09 53 49 47 4E 50 41 53 53 32"), 0x63C4);  // "SIGNPASS2"
  EXPECT_EQ(sw("00 20 00 80 05 41 42 43 44 45"), 0x6700);  // 5 characters: refused, costs nothing
  EXPECT_EQ(sw("00 20 00 80 06 61 62 63 64 65 66"), 0x6A80);  // lower case
  EXPECT_EQ(sw("00 20 00 80 09 53 49 47 4E 50 41 53 53 31"), 0x9000);  // "SIGNPASS1"
  ASSERT_EQ(sw("00 A4 02 0C 02 00 01"), 0x9000);
  EXPECT_EQ(sw("00 B0 00 00 07"), 0x9000);
}

TEST_F(WholeCardTest, BothKeysSignAndVerifyWithTheirCertificates) {
  JpkiClient host = client();
  host.select_jpki_ap();
  const Bytes message = to_bytes("onshi-hil challenge");
  ASSERT_TRUE(host.verify_auth_pin(test_auth_pin).verified());
  const auto auth_cert = host.read_auth_certificate();
  EXPECT_TRUE(auth_cert.verify_sha256_pkcs1(message, host.sign_with_auth_key(crypto::sha256_digest_info(message))));
  // The auth PIN does not open the sign key.
  EXPECT_THROW(host.sign(jpki::ef::sign_private_key, crypto::sha256_digest_info(message)), onshi::Error);
  ASSERT_TRUE(host.verify_pin(jpki::ef::sign_password, test_sign_password, jpki::sign_password_format).verified());
  const auto sign_cert = crypto::Certificate::from_der(host.read_der_file(jpki::ef::sign_certificate));
  const auto sign_ca = crypto::Certificate::from_der(host.read_der_file(jpki::ef::sign_ca_certificate));
  EXPECT_TRUE(sign_cert.issued_by(sign_ca));
  const Bytes signature = host.sign(jpki::ef::sign_private_key, crypto::sha256_digest_info(message));
  EXPECT_TRUE(sign_cert.verify_sha256_pkcs1(message, signature));
  EXPECT_FALSE(auth_cert.verify_sha256_pkcs1(message, signature));
}

TEST_F(WholeCardTest, SignPasswordBlocksAfterFiveWrongTriesWithTheProfileStatusWord) {
  for (const CardProfile& profile : {CardProfile::contact(), CardProfile::iso_blocked_status()}) {
    card_ = make_card(profile);
    enter_jpki();
    ASSERT_EQ(sw("00 A4 02 0C 02 00 1B"), 0x9000);
    for (unsigned left = 4; left > 0; --left) EXPECT_EQ(sw("00 20 00 80 06 57 52 4F 4E 47 31"), 0x63C0 + left);
    EXPECT_EQ(sw("00 20 00 80 06 57 52 4F 4E 47 31"), 0x63C0);
    EXPECT_EQ(sw("00 20 00 80 09 53 49 47 4E 50 41 53 53 31"), profile.blocked_status_word);
    EXPECT_EQ(sw("00 20 00 80"), profile.blocked_status_word);
  }
}

TEST_F(WholeCardTest, KenhojoNeedsItsPinThenMyNumberAndBasicFourParseBack) {
  ASSERT_EQ(sw(select_kenhojo), 0x9000);
  ASSERT_EQ(sw("00 A4 02 0C 02 00 01"), 0x9000);
  EXPECT_EQ(sw("00 B0 00 00 00"), 0x6982);
  ASSERT_EQ(sw("00 A4 02 0C 02 00 11"), 0x9000);
  EXPECT_EQ(sw("00 20 00 80"), 0x63C3);
  EXPECT_EQ(sw("00 20 00 80 04 30 30 30 30"), 0x63C2);
  EXPECT_EQ(sw("00 20 00 80 04 35 36 37 38"), 0x9000);  // "5678"
  JpkiClient host = client();
  const std::string my_number = jpki::parse_my_number_file(host.read_der_file(jpki::kenhojo_ef::my_number));
  EXPECT_EQ(my_number, test_my_number);
  EXPECT_TRUE(jpki::is_valid_my_number(my_number));
  const jpki::BasicFourInfo info = jpki::parse_basic_four(host.read_der_file(jpki::kenhojo_ef::basic_four));
  EXPECT_EQ(info.name, "試験　花子");
  EXPECT_EQ(info.address, "東京都千代田区霞が関一丁目二番二号");
  EXPECT_EQ(info.birthdate, test_birthdate);
  EXPECT_EQ(info.sex, "2");
}

TEST_F(WholeCardTest, KenhojoHashesAreSignedByTheIssuer) {
  ASSERT_EQ(sw(select_kenhojo), 0x9000);
  JpkiClient host = client();
  ASSERT_TRUE(host.verify_pin(jpki::kenhojo_ef::pin, test_kenhojo_pin, jpki::kenhojo_pin_format).verified());
  const Bytes number_file = host.read_der_file(jpki::kenhojo_ef::my_number);
  const Bytes basic_file = host.read_der_file(jpki::kenhojo_ef::basic_four);
  const auto outer = jpki::parse_tlvs(host.read_der_file(jpki::kenhojo_ef::signature), "EF 0003");
  ASSERT_EQ(outer.size(), 1u);
  ASSERT_EQ(outer[0].tag, 0xFF30);
  const auto inner = jpki::parse_tlvs(outer[0].value, "FF 30");
  ASSERT_EQ(inner.size(), 3u);
  EXPECT_EQ(inner[0].value, crypto::sha256(number_file));
  EXPECT_EQ(inner[1].value, crypto::sha256(basic_file));
  Bytes signed_part = jpki::encode_tlv(inner[0].tag, inner[0].value);
  append(signed_part, jpki::encode_tlv(inner[1].tag, inner[1].value));
  EXPECT_TRUE(shared_test_identity().ca_cert.verify_sha256_pkcs1(signed_part, inner[2].value));
}

TEST_F(WholeCardTest, KenhojoOpensWithCollationNumberAToo) {
  ASSERT_EQ(sw(select_kenhojo), 0x9000);
  JpkiClient host = client();
  ASSERT_TRUE(host.verify_pin(jpki::kenhojo_ef::collation_number_a, test_my_number, jpki::collation_number_a_format)
                  .verified());
  EXPECT_EQ(jpki::parse_my_number_file(host.read_der_file(jpki::kenhojo_ef::my_number)), test_my_number);
}

TEST_F(WholeCardTest, KenkakuOpensWithCollationNumberBAndHoldsTheFaceImage) {
  ASSERT_EQ(sw(select_kenkaku), 0x9000);
  ASSERT_EQ(sw("00 A4 02 0C 02 00 02"), 0x9000);
  EXPECT_EQ(sw("00 B0 00 00 00"), 0x6982);
  JpkiClient host = client();
  const auto wrong = host.verify_pin(jpki::kenkaku_ef::collation_number_b, "85041220349999",
                                     jpki::collation_number_b_format);
  EXPECT_EQ(wrong.status_word, 0x63C9);  // ten tries by default, one used
  ASSERT_TRUE(host.verify_pin(jpki::kenkaku_ef::collation_number_b, test_collation_number_b,
                              jpki::collation_number_b_format)
                  .verified());
  const jpki::CardSurfaceInfo surface = jpki::parse_card_surface(host.read_der_file(jpki::kenkaku_ef::card_surface));
  EXPECT_EQ(surface.birthdate, test_birthdate);
  EXPECT_EQ(surface.expiry, test_card_expiry);
  EXPECT_EQ(surface.face_image, mocks::card::synthetic_face_image(7));
  EXPECT_EQ(Bytes(surface.face_image.begin(), surface.face_image.begin() + 12), from_hex("0000000C6A5020200D0A870A"));
  EXPECT_EQ(Bytes(surface.name_image.begin(), surface.name_image.begin() + 8), from_hex("89504E470D0A1A0A"));
  EXPECT_TRUE(shared_test_identity().ca_cert.verify_sha256_pkcs1(jpki::card_surface_signed_part(surface),
                                                                 surface.signature));
}

// The issuer's signatures are kept for the process (my_number_card_factory.cpp): cards built
// again, by the same issuer or another, still carry records each issuer's key verifies.
TEST_F(WholeCardTest, ASecondIssuerKeySignsItsOwnRecords) {
  auto surface_signed_by = [](const crypto::PrivateKey& issuer) {
    mocks::card::MyNumberCardSpec spec = make_spec();
    spec.issuer_key = issuer;
    auto card = mocks::card::make_virtual_my_number_card(spec);
    card->power_on();
    IccApduChannel channel(*card);
    JpkiClient host(channel);
    host.select_application(jpki::aid::card_surface, "券面AP");
    EXPECT_TRUE(host.verify_pin(jpki::kenkaku_ef::collation_number_b, test_collation_number_b,
                                jpki::collation_number_b_format)
                    .verified());
    return jpki::parse_card_surface(host.read_der_file(jpki::kenkaku_ef::card_surface));
  };
  const TestIdentity& id = shared_test_identity();
  for (int round = 0; round < 2; ++round) {  // the second round is served from the kept signatures
    const jpki::CardSurfaceInfo by_ca = surface_signed_by(id.ca_key);
    const jpki::CardSurfaceInfo by_other = surface_signed_by(id.auth_key);
    const Bytes ca_part = jpki::card_surface_signed_part(by_ca);  // holds the issuer's public key too
    const Bytes other_part = jpki::card_surface_signed_part(by_other);
    EXPECT_TRUE(id.ca_cert.verify_sha256_pkcs1(ca_part, by_ca.signature)) << "round " << round;
    EXPECT_TRUE(id.auth_cert.verify_sha256_pkcs1(other_part, by_other.signature)) << "round " << round;
    EXPECT_FALSE(id.ca_cert.verify_sha256_pkcs1(other_part, by_other.signature)) << "round " << round;
  }
}

TEST_F(WholeCardTest, KenkakuOpensWithCollationNumberA) {
  ASSERT_EQ(sw(select_kenkaku), 0x9000);
  JpkiClient host = client();
  ASSERT_TRUE(host.verify_pin(jpki::kenkaku_ef::collation_number_a, test_my_number, jpki::collation_number_a_format)
                  .verified());
  EXPECT_NO_THROW(jpki::parse_card_surface(host.read_der_file(jpki::kenkaku_ef::card_surface)));
}

TEST_F(WholeCardTest, ChangePinNeedsVerifyAndTheNewPinSurvivesPowerCycles) {
  select_pin();
  EXPECT_EQ(sw("00 24 01 80 04 38 38 38 38"), 0x6982);  // not verified
  ASSERT_EQ(sw(verify_right), 0x9000);
  EXPECT_EQ(sw("00 24 00 80 04 38 38 38 38"), 0x6A86);
  EXPECT_EQ(sw("00 24 01 80 05 38 38 38 38 38"), 0x6700);
  EXPECT_EQ(sw("00 24 01 80 04 38 38 38 41"), 0x6A80);
  EXPECT_EQ(sw("00 24 01 80 04 38 38 38 38"), 0x9000);  // "8888"
  card_->power_off();
  card_->power_on();
  select_pin();
  EXPECT_EQ(sw(verify_right), 0x63C2);
  EXPECT_EQ(sw("00 20 00 80 04 38 38 38 38"), 0x9000);
}

TEST_F(WholeCardTest, ChangePinThroughTheClient) {
  JpkiClient host = client();
  host.select_jpki_ap();
  EXPECT_FALSE(host.change_pin(jpki::ef::auth_pin, "0000", "8888", jpki::auth_pin_format).verified());
  EXPECT_TRUE(host.change_pin(jpki::ef::auth_pin, test_auth_pin, "8888", jpki::auth_pin_format).verified());
  EXPECT_TRUE(host.verify_auth_pin("8888").verified());
  EXPECT_THROW(host.change_pin(jpki::ef::auth_pin, "8888", "12", jpki::auth_pin_format), onshi::Error);
}

TEST_F(WholeCardTest, CollationNumbersCannotBeChanged) {
  ASSERT_EQ(sw(select_kenkaku), 0x9000);
  JpkiClient host = client();
  ASSERT_TRUE(host.verify_pin(jpki::kenkaku_ef::collation_number_a, test_my_number, jpki::collation_number_a_format)
                  .verified());
  EXPECT_EQ(sw("00 24 01 80 0C 31 31 31 31 31 31 31 31 31 31 31 31"), 0x6985);
}

TEST_F(WholeCardTest, ChangeWithNoCurrentPinEfIsCommandNotAllowed) {
  EXPECT_EQ(sw("00 24 01 80 04 38 38 38 38"), 0x6986);
  enter_jpki();
  ASSERT_EQ(sw(select_auth_cert), 0x9000);
  EXPECT_EQ(sw("00 24 01 80 04 38 38 38 38"), 0x6986);
}

TEST_F(WholeCardTest, LockedPinStaysLockedAcrossPowerCyclesUntilFixtureReset) {
  select_pin();
  for (int i = 0; i < 3; ++i) send(verify_wrong);
  for (int cycle = 0; cycle < 3; ++cycle) {
    card_->power_off();
    EXPECT_EQ(card_->power_on(), mocks::card::contact_atr());
    select_pin();
    EXPECT_EQ(sw(verify_right), 0x6984);
  }
  card_->reset_for_fixture();
  select_pin();
  EXPECT_EQ(sw(verify_right), 0x9000);
}

TEST_F(WholeCardTest, ContactlessProfileAnswersThePseudoAtr) {
  card_ = make_card(CardProfile::contactless());
  card_->power_off();
  EXPECT_EQ(card_->power_on(), mocks::card::contactless_atr());
}

TEST_F(WholeCardTest, ExtendedVerifyAndSignAndRead) {
  select_pin();
  EXPECT_EQ(sw("00 20 00 80 00 00 04 31 32 33 34"), 0x9000);
  ASSERT_EQ(sw(select_auth_key), 0x9000);
  const Bytes digest_info = crypto::sha256_digest_info(to_bytes("x"));
  const auto response = send("80 2A 00 80 00 00 33 " + to_hex(digest_info, " ") + " 00 00");
  ASSERT_EQ(response.sw, 0x9000);
  EXPECT_TRUE(shared_test_identity().auth_cert.verify_sha256_pkcs1(to_bytes("x"), response.data));
  ASSERT_EQ(sw(select_auth_cert), 0x9000);
  const auto whole = send("00 B0 00 00 00 00 00");
  EXPECT_EQ(whole.data, shared_test_identity().auth_cert.to_der());
}

TEST_F(WholeCardTest, TerminalAuthenticationLetsTheAuthKeySignWithoutThePin) {
  JpkiClient host = client();
  host.select_jpki_ap();
  const Bytes digest_info = crypto::sha256_digest_info(to_bytes("face"));
  EXPECT_THROW(host.sign_with_auth_key(digest_info), onshi::Error);  // 6982 without PIN
  const TestIdentity& id = shared_test_identity();
  ASSERT_EQ(host.terminal_authenticate(id.terminal_cert, id.terminal_key), 0x9000);
  EXPECT_TRUE(id.auth_cert.verify_sha256_pkcs1(to_bytes("face"), host.sign_with_auth_key(digest_info)));
  // Never the sign key.
  EXPECT_THROW(host.sign(jpki::ef::sign_private_key, digest_info), onshi::Error);
  // Reselecting the AP drops it.
  host.select_jpki_ap();
  EXPECT_THROW(host.sign_with_auth_key(digest_info), onshi::Error);
}

TEST_F(WholeCardTest, TerminalAuthenticationRefusesAForeignTerminal) {
  JpkiClient host = client();
  host.select_jpki_ap();
  const TestIdentity& id = shared_test_identity();
  EXPECT_EQ(host.terminal_authenticate(id.foreign_terminal_cert, id.foreign_terminal_key), 0x6982);
  // Right certificate, wrong key: the challenge signature does not verify.
  EXPECT_EQ(host.terminal_authenticate(id.terminal_cert, id.foreign_terminal_key), 0x6982);
  EXPECT_THROW(host.sign_with_auth_key(crypto::sha256_digest_info(to_bytes("x"))), onshi::Error);
}

TEST_F(WholeCardTest, TerminalAuthenticationStatusWords) {
  EXPECT_EQ(sw("80 A2 00 00 02 30 00"), 0x6985);  // no AP
  enter_jpki();
  EXPECT_EQ(sw("80 A2 00 00 02 30 00"), 0x6985);  // no challenge
  ASSERT_EQ(sw("00 84 00 00 08"), 0x9000);
  EXPECT_EQ(sw("80 A2 00 00 02 30 00"), 0x6A80);  // no signature after the certificate
  EXPECT_EQ(sw("80 A2 01 00 02 30 00"), 0x6A86);
  EXPECT_EQ(sw("80 A2 00 00"), 0x6700);
  EXPECT_EQ(sw("00 A2 00 00 02 30 00"), 0x6E00);
  EXPECT_EQ(sw("90 B0 00 00 00"), 0x6E00);  // chaining only for 80 A2
  ASSERT_EQ(sw(select_kenkaku), 0x9000);
  ASSERT_EQ(sw("00 84 00 00 08"), 0x9000);
  EXPECT_EQ(sw("80 A2 00 00 02 30 00"), 0x6985);  // only the JPKI AP knows the terminal CA
  CardProfile off;
  off.terminal_authentication = false;
  card_ = make_card(off);
  EXPECT_EQ(sw("80 A2 00 00 02 30 00"), 0x6D00);
}

}  // namespace
}  // namespace onshi::testing
