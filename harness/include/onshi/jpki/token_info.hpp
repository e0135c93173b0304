#pragma once
// JPKI EF 0006: a PKCS#11 CK_TOKEN_INFO (160 bytes with 4-byte CK_ULONGs) whose 32-byte
// space-padded label tells which kind of JPKI token this is (docs/domain/card.md, JPKI AP files).
#include <cstddef>
#include <string>
#include <string_view>

#include "onshi/core/bytes.hpp"

namespace onshi::jpki {

inline constexpr std::size_t token_info_size = 160;
inline constexpr std::size_t token_label_size = 32;

namespace token_label {
inline constexpr std::string_view my_number_card = "JPKIAPICCTOKEN2";
inline constexpr std::string_view juki_card = "JPKIAPICCTOKEN";  // 住基カード
inline constexpr std::string_view android = "JPKIAPGPSETOKEN";
inline constexpr std::string_view iphone = "JPKIAPIOSTOKEN";
}  // namespace token_label

// label, manufacturerID, model and serialNumber space-padded; the numeric fields zero.
// Throws Error(invalid_argument) for a label over 32 bytes.
Bytes make_token_info(std::string_view label);
// The label from the first 32 bytes (or fewer) of a token info, trailing spaces removed.
std::string parse_token_label(ByteView token_info);

}  // namespace onshi::jpki
