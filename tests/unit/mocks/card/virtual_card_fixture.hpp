#pragma once
// A powered virtual My Number Card built from the shared test identity, and raw-APDU helpers
// so each test reads like the card transcript it checks.
#include <gtest/gtest.h>

#include <memory>
#include <string_view>

#include "onshi/core/bytes.hpp"
#include "onshi/iso7816/apdu.hpp"
#include "onshi/mocks/card/my_number_card_factory.hpp"
#include "test_identity.hpp"

namespace onshi::testing {

class VirtualCardTest : public ::testing::Test {
 protected:
  void SetUp() override { card_ = make_card(); }

  static mocks::card::MyNumberCardSpec make_spec() {
    const TestIdentity& id = shared_test_identity();
    mocks::card::MyNumberCardSpec spec;
    spec.auth = {id.auth_cert, id.auth_key};
    spec.auth_ca = id.ca_cert;
    spec.auth_pin = test_auth_pin;
    spec.sign = {id.sign_cert, id.sign_key};
    spec.sign_ca = id.ca_cert;
    spec.sign_password = test_sign_password;
    spec.terminal_ca = id.terminal_ca_cert;
    spec.issuer_key = id.ca_key;
    spec.kenhojo_pin = test_kenhojo_pin;
    spec.my_number = test_my_number;
    spec.basic_four = {"試験　花子", "東京都千代田区霞が関一丁目二番二号", test_birthdate, "2"};
    spec.card_expiry = test_card_expiry;
    spec.security_code = test_security_code;
    spec.face_image = mocks::card::synthetic_face_image(7);
    return spec;
  }

  static std::unique_ptr<mocks::card::VirtualMyNumberCard> make_card(mocks::card::CardProfile profile = {}) {
    auto card = mocks::card::make_virtual_my_number_card(make_spec(), std::move(profile));
    card->power_on();
    return card;
  }

  // The raw response of a command given in hex ("00 A4 04 0C 0A D3...").
  iso7816::ResponseApdu send(std::string_view hex) { return send_to(*card_, hex); }
  static iso7816::ResponseApdu send_to(iso7816::Icc& card, std::string_view hex) {
    return iso7816::ResponseApdu::parse(card.transmit(from_hex(hex)));
  }
  std::uint16_t sw(std::string_view hex) { return send(hex).sw; }

  static constexpr std::string_view select_jpki = "00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01";
  static constexpr std::string_view select_auth_cert = "00 A4 02 0C 02 00 0A";
  static constexpr std::string_view select_auth_ca = "00 A4 02 0C 02 00 0B";
  static constexpr std::string_view select_token_info = "00 A4 02 0C 02 00 06";
  static constexpr std::string_view select_auth_key = "00 A4 02 0C 02 00 17";
  static constexpr std::string_view select_auth_pin = "00 A4 02 0C 02 00 18";
  static constexpr std::string_view verify_query = "00 20 00 80";
  static constexpr std::string_view verify_right = "00 20 00 80 04 31 32 33 34";  // "1234"
  static constexpr std::string_view verify_wrong = "00 20 00 80 04 39 39 39 39";  // "9999"

  void enter_jpki() { ASSERT_EQ(sw(select_jpki), 0x9000); }
  void select_pin() {
    enter_jpki();
    ASSERT_EQ(sw(select_auth_pin), 0x9000);
  }

  std::unique_ptr<mocks::card::VirtualMyNumberCard> card_;
};

}  // namespace onshi::testing
