#pragma once
// Shift_JIS ⇄ UTF-8 for ONS messages, read and written as Windows code page 932 (glibc iconv
// "CP932"): the Shift_JIS terminals actually produce (NEC/IBM extensions, ～ as U+FF5E).
#include <string>
#include <string_view>

namespace onshi::ons {

// Throws Error(malformed_input, "… not valid Shift_JIS at byte offset N", "Shift_JIS text").
std::string shift_jis_to_utf8(std::string_view bytes);
// Throws Error(invalid_argument, "… has no Shift_JIS form …", "Shift_JIS text").
std::string utf8_to_shift_jis(std::string_view text);

}  // namespace onshi::ons
