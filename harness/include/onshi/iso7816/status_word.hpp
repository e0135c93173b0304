#pragma once
// Status words the card and the harness agree on (docs/domain/card.md, PINs and status words).
#include <cstdint>
#include <string>

namespace onshi::iso7816::sw {

inline constexpr std::uint16_t ok = 0x9000;
inline constexpr std::uint16_t wrong_length = 0x6700;
inline constexpr std::uint16_t security_status_not_satisfied = 0x6982;
inline constexpr std::uint16_t auth_method_blocked = 0x6983;
inline constexpr std::uint16_t reference_data_not_usable = 0x6984;  // JPKI cards: PIN blocked
inline constexpr std::uint16_t conditions_not_satisfied = 0x6985;
inline constexpr std::uint16_t command_not_allowed_no_ef = 0x6986;
inline constexpr std::uint16_t wrong_data = 0x6A80;
inline constexpr std::uint16_t function_not_supported = 0x6A81;
inline constexpr std::uint16_t file_not_found = 0x6A82;
inline constexpr std::uint16_t wrong_p1p2 = 0x6A86;
inline constexpr std::uint16_t wrong_p1p2_offset = 0x6B00;
inline constexpr std::uint16_t ins_not_supported = 0x6D00;
inline constexpr std::uint16_t cla_not_supported = 0x6E00;
inline constexpr std::uint16_t end_of_file = 0x6282;

// 63Cx: verification failed, x tries left.
inline constexpr std::uint16_t verify_failed(unsigned tries_left) {
  return static_cast<std::uint16_t>(0x63C0 | (tries_left & 0x0F));
}
inline constexpr bool is_verify_failed(std::uint16_t status) { return (status & 0xFFF0) == 0x63C0; }

// "6982 security status not satisfied"
std::string describe(std::uint16_t status);

}  // namespace onshi::iso7816::sw
