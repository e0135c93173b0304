#pragma once
// Elementary-file identifiers inside the JPKI AP (DOMAIN.md §2.2), selected with
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
inline constexpr FileId auth_private_key = 0x0017;
inline constexpr FileId auth_pin = 0x0018;             // 4 ASCII digits, 3 tries
inline constexpr FileId sign_private_key = 0x001A;
inline constexpr FileId sign_password = 0x001B;        // 6-16 upper-case alphanumerics, 5 tries

}  // namespace ef

// "EF 000A": how files are named in error contexts.
std::string ef_name(FileId fid);

}  // namespace onshi::jpki
