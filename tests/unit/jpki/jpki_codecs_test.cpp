// The small JPKI codecs: BER object size, token info, PIN formats, VERIFY outcomes, EF names.
#include <gtest/gtest.h>

#include "onshi/core/error.hpp"
#include "onshi/jpki/ber_object_size.hpp"
#include "onshi/jpki/file_ids.hpp"
#include "onshi/jpki/pin_format.hpp"
#include "onshi/jpki/pin_verification.hpp"
#include "onshi/jpki/token_info.hpp"

namespace onshi::jpki {
namespace {

TEST(BerObjectSize, ShortFormLength) { EXPECT_EQ(ber_object_size(from_hex("04 03 01 02 03")), 5u); }

TEST(BerObjectSize, LongFormLengths) {
  EXPECT_EQ(ber_object_size(from_hex("30 81 80")), 3u + 0x80);
  EXPECT_EQ(ber_object_size(from_hex("30 82 04 D2 30 82")), 4u + 0x04D2);
  EXPECT_EQ(ber_object_size(from_hex("30 83 01 00 00")), 5u + 0x010000);
  EXPECT_EQ(ber_object_size(from_hex("30 84 00 00 01 00")), 6u + 0x0100);
}

TEST(BerObjectSize, MultiByteTag) {
  EXPECT_EQ(ber_object_size(from_hex("5F 20 03")), 6u);
  EXPECT_EQ(ber_object_size(from_hex("7F 81 21 81 90")), 5u + 0x90);
}

TEST(BerObjectSize, NeedsMoreBytes) {
  EXPECT_EQ(ber_object_size(from_hex("30")), std::nullopt);
  EXPECT_EQ(ber_object_size(from_hex("30 82 04")), std::nullopt);
  EXPECT_EQ(ber_object_size(from_hex("5F")), std::nullopt);
  EXPECT_EQ(ber_object_size(from_hex("7F 81")), std::nullopt);
}

TEST(BerObjectSize, RejectsWhatCannotBeSized) {
  EXPECT_THROW(ber_object_size(Bytes{}), Error);
  EXPECT_THROW(ber_object_size(from_hex("30 80 02 01 00 00 00")), Error);  // indefinite
  EXPECT_THROW(ber_object_size(from_hex("30 85 01 00 00 00 00")), Error);  // 5-byte length
  EXPECT_THROW(ber_object_size(from_hex("30 FF")), Error);                 // reserved
  EXPECT_THROW(ber_object_size(from_hex("5F 81 81 81 81 01")), Error);     // tag over 4 bytes
}

TEST(TokenInfo, IsA160ByteBlankPaddedTokenInfo) {
  const Bytes info = make_token_info(token_label::my_number_card);
  ASSERT_EQ(info.size(), 160u);
  EXPECT_EQ(onshi::to_string(ByteView(info).first(32)), "JPKIAPICCTOKEN2                 ");
  EXPECT_EQ(info[95], ' ');
  EXPECT_EQ(info[96], 0x00);
  EXPECT_EQ(parse_token_label(info), "JPKIAPICCTOKEN2");
}

TEST(TokenInfo, LabelsOfOtherTokensRoundTrip) {
  for (const auto label : {token_label::juki_card, token_label::android, token_label::iphone}) {
    EXPECT_EQ(parse_token_label(make_token_info(label)), label);
  }
}

TEST(TokenInfo, LabelOver32BytesIsRefused) { EXPECT_THROW(make_token_info(std::string(33, 'A')), Error); }

TEST(PinFormat, AuthPinIsFourAsciiDigits) {
  EXPECT_TRUE(auth_pin_format.accepts("0000"));
  EXPECT_TRUE(auth_pin_format.accepts("9876"));
  EXPECT_FALSE(auth_pin_format.accepts("123"));
  EXPECT_FALSE(auth_pin_format.accepts("12345"));
  EXPECT_FALSE(auth_pin_format.accepts("12a4"));
  EXPECT_FALSE(auth_pin_format.accepts(""));
}

TEST(PinFormat, SignPasswordIsSixToSixteenUpperAlphanumerics) {
  EXPECT_TRUE(sign_password_format.accepts("ABC123"));
  EXPECT_TRUE(sign_password_format.accepts("ABCDEFGHIJ123456"));
  EXPECT_FALSE(sign_password_format.accepts("ABC12"));
  EXPECT_FALSE(sign_password_format.accepts("ABCDEFGHIJ1234567"));
  EXPECT_FALSE(sign_password_format.accepts("abc123"));
}

TEST(PinVerificationStatus, MapsTheVerifyStatusWords) {
  EXPECT_EQ(PinVerification::from_status_word(0x9000)->outcome, PinVerification::Outcome::verified);
  const auto wrong = PinVerification::from_status_word(0x63C1);
  EXPECT_EQ(wrong->outcome, PinVerification::Outcome::wrong_pin);
  EXPECT_EQ(wrong->tries_left, 1u);
  EXPECT_FALSE(wrong->locked());
  EXPECT_TRUE(PinVerification::from_status_word(0x63C0)->locked());
  EXPECT_EQ(PinVerification::from_status_word(0x6983)->outcome, PinVerification::Outcome::blocked);
  EXPECT_EQ(PinVerification::from_status_word(0x6984)->outcome, PinVerification::Outcome::blocked);
  EXPECT_EQ(PinVerification::from_status_word(0x6700), std::nullopt);
  EXPECT_EQ(PinVerification::from_status_word(0x6982), std::nullopt);
  EXPECT_EQ(to_string(PinVerification::Outcome::wrong_pin), "wrong PIN");
}

TEST(FileIds, NamesFilesInHex) {
  EXPECT_EQ(ef_name(ef::auth_certificate), "EF 000A");
  EXPECT_EQ(ef_name(ef::sign_password), "EF 001B");
}

}  // namespace
}  // namespace onshi::jpki
