#pragma once
// Base64 (RFC 4648 §4, padded) for the binary fields of ONS XML messages. Decoding accepts
// XML whitespace between groups (base64Binary allows line wrapping) and nothing else.
#include <string>
#include <string_view>

#include "onshi/core/bytes.hpp"

namespace onshi::ons {

std::string base64_encode(ByteView data);
// Throws Error(malformed_input, ..., context) on a bad character, length or padding.
Bytes base64_decode(std::string_view text, const std::string& context = "base64");

}  // namespace onshi::ons
