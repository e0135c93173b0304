#pragma once
// Elementary-file identifiers inside the JPKI AP (docs/domain/card.md, JPKI AP files), selected with
// SELECT EF: 00 A4 02 0C 02 FID.
#include <cstdint>
#include <string>

namespace onshi::jpki {

using FileId = std::uint16_t;

namespace ef {

inline constexpr FileId sign_certificate = 0x0001;     // 署名用電子証明書 (read needs the sign password)
inline constexpr FileId sign_ca_certificate = 0x0002;  // its issuing CA
inline constexpr FileId token_info = 0x0006;           // 160-byte CK_TOKEN_INFO, label "JPKIAPICCTOKEN2"
inline constexpr FileId certificate_presence = 0x0008; // which certificates exist (8F 8F 00 = both)
inline constexpr FileId auth_certificate = 0x000A;     // 利用者証明用電子証明書, readable without PIN
inline constexpr FileId auth_ca_certificate = 0x000B;  // its issuing CA
inline constexpr FileId terminal_ca_key = 0x0016;        // 特定機関認証 trust anchor (low confidence: docs/domain/card.md)
inline constexpr FileId auth_private_key = 0x0017;
inline constexpr FileId auth_pin = 0x0018;             // 4 ASCII digits, 3 tries
inline constexpr FileId sign_private_key = 0x001A;
inline constexpr FileId sign_password = 0x001B;        // 6-16 upper-case alphanumerics, 5 tries

}  // namespace ef

// 券面事項入力補助AP (kenhojo) EFs (docs/domain/card.md, kenhojo files).
namespace kenhojo_ef {
inline constexpr FileId my_number = 0x0001;           // D0 0C + 12 digits; needs the kenhojo PIN
inline constexpr FileId basic_four = 0x0002;          // FF 20 { DF21..DF25 }; needs the kenhojo PIN
inline constexpr FileId signature = 0x0003;           // FF 30 { DF31 hash(My Number), DF32 hash(basic 4), DF33 sig }
inline constexpr FileId ap_info = 0x0005;
inline constexpr FileId pin = 0x0011;                 // 券面事項入力補助用PIN, 4 digits
inline constexpr FileId collation_number_a = 0x0014;  // the My Number as a verification value
inline constexpr FileId collation_number_b = 0x0015;  // 照合番号B (14 digits)
}  // namespace kenhojo_ef

// 券面AP (kenkaku) EFs.
namespace kenkaku_ef {
inline constexpr FileId card_surface = 0x0002;        // FF 20 { DF21..DF2A }; needs 照合番号A or B
inline constexpr FileId collation_number_b = 0x0012;  // 照合番号B (14 digits)
inline constexpr FileId collation_number_a = 0x0013;  // the My Number (12 digits)
}  // namespace kenkaku_ef

// "EF 000A": how files are named in error contexts.
std::string ef_name(FileId fid);

}  // namespace onshi::jpki
