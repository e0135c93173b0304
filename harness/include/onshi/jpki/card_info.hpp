#pragma once
// The text and image records of the 券面事項入力補助AP (kenhojo) and 券面AP (kenkaku), docs/domain/card.md,
// encoded by the virtual card and parsed back by the host: one codec for both sides.
//
//   kenhojo 0001  D0 0C <12 ASCII digits>                         (My Number)
//   kenhojo 0002  FF 20 L { DF21 offsets, DF22 name, DF23 address, DF24 birth YYYYMMDD, DF25 sex }
//   kenkaku 0002  FF 20 L { DF21 offsets, DF22 birth, DF23 sex, DF24 public key, DF25 name image,
//                           DF26 address image, DF27 face image, DF28 signature, DF29 expiry,
//                           DF2A security-code image }
// DF21 holds, for every later element, the 2-byte big-endian offset of its tag from the start of
// the FF 20 value (the sources name it "offsets" without a layout; this is the harness's reading).
// Lengths are BER definite (1..3 length bytes), so an FF 20 object of any size parses.
#include <cstdint>
#include <string>
#include <vector>

#include "onshi/core/bytes.hpp"

namespace onshi::jpki {

struct Tlv {
  std::uint16_t tag = 0;  // one- or two-byte tag as written ("DF22" = 0xDF22, "D0" = 0x00D0)
  Bytes value;
};

Bytes encode_tlv(std::uint16_t tag, ByteView value);
// Every TLV in `data` in order; trailing 00/FF padding after the last object is ignored.
// Throws Error(malformed_input) naming `context` and the offset of the fault.
std::vector<Tlv> parse_tlvs(ByteView data, const std::string& context);

// 基本4情報 as the kenhojo AP stores it.
struct BasicFourInfo {
  std::string name;       // UTF-8
  std::string address;    // UTF-8
  std::string birthdate;  // YYYYMMDD
  std::string sex;        // ISO 5218: "1" male, "2" female, "9" not applicable

  bool operator==(const BasicFourInfo&) const = default;
};

Bytes encode_my_number_file(const std::string& my_number);  // Error(invalid_argument) unless 12 digits
std::string parse_my_number_file(ByteView file);             // Error(malformed_input)
Bytes encode_basic_four(const BasicFourInfo& info);
BasicFourInfo parse_basic_four(ByteView file);

// The 券面AP's card-face record.
struct CardSurfaceInfo {
  std::string birthdate;   // YYYYMMDD
  std::string sex;         // "1" / "2" / "9"
  Bytes public_key;        // DER SubjectPublicKeyInfo of the key that signed this record
  Bytes name_image;        // PNG
  Bytes address_image;     // PNG
  Bytes face_image;        // JPEG 2000 (JP2)
  Bytes signature;         // over everything before it, by the issuer
  std::string expiry;      // YYYYMMDD, the card's 有効期限
  Bytes security_code_image;  // PNG

  bool operator==(const CardSurfaceInfo&) const = default;
};

Bytes encode_card_surface(const CardSurfaceInfo& info);
CardSurfaceInfo parse_card_surface(ByteView file);
// The bytes the issuer signs: the encoded DF22..DF27 elements, in order.
Bytes card_surface_signed_part(const CardSurfaceInfo& info);

// 照合番号B, what a face reader reads off the card front (docs/domain/reception-flow.md, face path): birth date YYMMDD +
// expiry year YYYY + 4-digit security code = 14 digits. Error(invalid_argument) on other shapes.
std::string collation_number_b(const std::string& birthdate_yyyymmdd, const std::string& expiry_yyyymmdd,
                               const std::string& security_code);

}  // namespace onshi::jpki
