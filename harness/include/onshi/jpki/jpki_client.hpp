#pragma once
// The host side of the JPKI AP, written once over any ApduChannel (CCID host driver, PC/SC,
// or a virtual card in tests). Operations act on the card's current application: call
// select_jpki_ap() once per card session, since reselecting an AP drops verified PINs.
//
// Any status word other than the ones an operation expects throws
// Error(ErrorCode::card, sw::describe(sw), "<operation>"). Transport failures propagate as
// the channel threw them. PIN values never appear in errors.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "onshi/core/bytes.hpp"
#include "onshi/crypto/certificate.hpp"
#include "onshi/crypto/private_key.hpp"
#include "onshi/iso7816/apdu_channel.hpp"
#include "onshi/jpki/file_ids.hpp"
#include "onshi/jpki/pin_format.hpp"
#include "onshi/jpki/pin_verification.hpp"

namespace onshi::jpki {

class JpkiClient {
 public:
  explicit JpkiClient(iso7816::ApduChannel& channel) : channel_(channel) {}

  // SELECT by DF name, no FCI: 00 A4 04 0C Lc AID. `name` only labels errors.
  void select_application(ByteView aid, std::string_view name);
  void select_jpki_ap();
  // SELECT EF: 00 A4 02 0C 02 FID.
  void select_ef(FileId fid);

  // READ BINARY of the current EF at `offset` (< 0x8000), asking for `length` bytes (1..256;
  // 256 is sent as Le=00). Returns fewer bytes when the card reports the end of the file (6282).
  Bytes read_binary(std::size_t offset, std::size_t length);
  // The whole BER/DER object in the current EF: reads the header, parses its length, then
  // reads the rest in chunks of up to 256 bytes.
  Bytes read_binary_file();
  // select_ef(fid) then read_binary_file().
  Bytes read_der_file(FileId fid);

  crypto::Certificate read_auth_certificate();     // EF 000A, no PIN needed
  crypto::Certificate read_auth_ca_certificate();  // EF 000B
  // EF 0006's token label, e.g. "JPKIAPICCTOKEN2" for a My Number Card.
  std::string read_token_label();

  // VERIFY with no data on the PIN EF (selects it): tries left, 0 when blocked, nullopt when
  // the PIN is already verified in this session (the card answers 9000 and gives no count).
  std::optional<unsigned> pin_tries_left(FileId pin_ef);
  // Selects the PIN EF, then VERIFY 00 20 00 80 Lc PIN. Throws Error(invalid_argument)
  // without sending anything when `pin` does not fit `format`, so a typo cannot cost a try.
  PinVerification verify_pin(FileId pin_ef, std::string_view pin, const PinFormat& format);
  // Selects the key EF, then 80 2A 00 80 Lc DigestInfo 00: PKCS#1 v1.5 type-1 by the card.
  // Returns the 256-byte RSA-2048 signature (Error(protocol) for any other size).
  Bytes sign(FileId key_ef, ByteView digest_info);

  // CHANGE REFERENCE DATA after a VERIFY of the old value: selects the PIN EF, VERIFY old, then
  // 00 24 01 80 Lc new. Returns the VERIFY outcome (a wrong old PIN changes nothing);
  // Error(invalid_argument) without sending anything when either value does not fit `format`.
  PinVerification change_pin(FileId pin_ef, std::string_view old_pin, std::string_view new_pin,
                             const PinFormat& format);

  // GET CHALLENGE 00 84 00 00 Le: `length` (1..256) random bytes from the card.
  Bytes get_challenge(std::size_t length);
  // 特定機関認証 as the harness emulates it (mocks/card/README.md): GET CHALLENGE, then
  // 80 A2 00 00 <terminal certificate DER || PKCS#1 v1.5 SHA-256 signature over the challenge>,
  // sent with ISO command chaining when it exceeds a short APDU. Afterwards the card lets the
  // user-authentication key sign without the PIN until the AP is reselected or the card reset.
  // Returns the card's status word: 9000 accepted, 6982 refused; other status words throw.
  std::uint16_t terminal_authenticate(const crypto::Certificate& terminal_certificate,
                                      const crypto::PrivateKey& terminal_key);

  std::optional<unsigned> auth_pin_tries_left() { return pin_tries_left(ef::auth_pin); }
  PinVerification verify_auth_pin(std::string_view pin) { return verify_pin(ef::auth_pin, pin, auth_pin_format); }
  Bytes sign_with_auth_key(ByteView digest_info) { return sign(ef::auth_private_key, digest_info); }

 private:
  iso7816::ResponseApdu exchange(const iso7816::CommandApdu& command);
  std::string current_ef_name() const;

  iso7816::ApduChannel& channel_;
  std::optional<FileId> current_ef_;  // only for naming errors; the card holds the truth
};

}  // namespace onshi::jpki
