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

  static std::unique_ptr<mocks::card::VirtualMyNumberCard> make_card(mocks::card::CardProfile profile = {}) {
    const TestIdentity& id = shared_test_identity();
    auto card = mocks::card::make_virtual_my_number_card(id.auth_cert, id.auth_key, id.ca_cert, test_auth_pin,
                                                         std::move(profile));
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
