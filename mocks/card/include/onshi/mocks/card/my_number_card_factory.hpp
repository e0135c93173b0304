#pragma once
// Builds the virtual My Number Card's file system from a card holder's data: the JPKI AP
// (both certificates with their CAs, both keys, the auth PIN and the sign password, token
// info, certificate presence, the 特定機関認証 trust anchor), the 券面事項入力補助AP (its PIN,
// My Number, basic-4 TLV, hashes signed by the issuer, 照合番号A/B) and the 券面AP (照合番号A/B,
// the card-face record with the face image, signed by the issuer).
#include <memory>
#include <optional>
#include <string>

#include "onshi/crypto/certificate.hpp"
#include "onshi/crypto/private_key.hpp"
#include "onshi/jpki/card_info.hpp"
#include "onshi/mocks/card/card_file_system.hpp"
#include "onshi/mocks/card/card_profile.hpp"
#include "onshi/mocks/card/virtual_my_number_card.hpp"

namespace onshi::mocks::card {

struct KeyAndCertificate {
  crypto::Certificate certificate;
  crypto::PrivateKey key;
};

// What is written on (and into) one card. Everything here is synthetic test data.
struct MyNumberCardSpec {
  KeyAndCertificate auth;            // 利用者証明用: EF 000A / 0017
  crypto::Certificate auth_ca;       // EF 000B
  std::string auth_pin;              // EF 0018: 4 digits
  KeyAndCertificate sign;            // 署名用: EF 0001 / 001A
  crypto::Certificate sign_ca;       // EF 0002
  std::string sign_password;         // EF 001B: 6..16 upper-case alphanumerics
  std::optional<crypto::Certificate> terminal_ca;  // EF 0016; absent: no 特定機関認証
  // The issuer's key signs the kenhojo hashes (EF 0003) and the card-face record (DF28).
  crypto::PrivateKey issuer_key;

  std::string kenhojo_pin;           // EF 0011 of kenhojo: 4 digits
  std::string my_number;             // 12 digits with a valid check digit
  jpki::BasicFourInfo basic_four;
  std::string card_expiry;           // YYYYMMDD, printed on the card face
  std::string security_code;         // 4 digits, printed on the card face
  Bytes face_image;                  // JPEG 2000 (JP2) bytes
};

// A small JP2 file (signature box, ftyp, and a codestream box of seeded pseudo-random
// contents) standing in for a photograph: same seed, same bytes.
Bytes synthetic_face_image(std::uint64_t seed);
// A valid 1x1 grey PNG whose pixel value follows `seed` (the name/address/code images).
Bytes synthetic_png(std::uint64_t seed);

// Throws Error(invalid_argument) naming the field (never a PIN value) when a PIN, password,
// number or key does not fit, or a key does not match its certificate.
Application make_jpki_application(const MyNumberCardSpec& spec, const CardProfile& profile = {});
Application make_card_input_helper_application(const MyNumberCardSpec& spec, const CardProfile& profile = {});
Application make_card_surface_application(const MyNumberCardSpec& spec, const CardProfile& profile = {});

std::unique_ptr<VirtualMyNumberCard> make_virtual_my_number_card(const MyNumberCardSpec& spec,
                                                                 CardProfile profile = {});

}  // namespace onshi::mocks::card
