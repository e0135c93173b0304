#pragma once
// Application identifiers of the My Number Card's APs (docs/domain/card.md, applications), selected with
// SELECT by DF name: 00 A4 04 0C Lc AID.
#include <array>
#include <cstdint>

namespace onshi::jpki::aid {

using Aid10 = std::array<std::uint8_t, 10>;

// 公的個人認証 AP: the certificates, keys and PINs of JPKI.
inline constexpr Aid10 jpki{0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01};
// 券面事項入力補助 AP (kenhojo): My Number and the basic four facts as text.
inline constexpr Aid10 card_input_helper{0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08};
// 券面事項確認 AP (券面AP, kenkaku): the card face images, used by face-recognition readers.
inline constexpr Aid10 card_surface{0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02};

}  // namespace onshi::jpki::aid
