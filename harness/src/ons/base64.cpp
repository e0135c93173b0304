#include "onshi/ons/base64.hpp"

#include <openssl/evp.h>

#include "onshi/core/error.hpp"

namespace onshi::ons {
namespace {

bool is_alphabet(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}
bool is_xml_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

std::string base64_encode(ByteView data) {
  std::string out(4 * ((data.size() + 2) / 3), '\0');
  if (data.empty()) return out;
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data.data(),
                                      static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

Bytes base64_decode(std::string_view text, const std::string& context) {
  // EVP_DecodeBlock is lenient about padding and length; check the grammar here first.
  std::string compact;
  compact.reserve(text.size());
  for (const char c : text) {
    if (!is_xml_space(c)) compact.push_back(c);
  }
  if (compact.size() % 4 != 0) {
    throw Error(ErrorCode::malformed_input, "base64 length " + std::to_string(compact.size()) + " is not a multiple of 4",
                context);
  }
  std::size_t padding = 0;
  for (std::size_t i = 0; i < compact.size(); ++i) {
    const char c = compact[i];
    if (c == '=') {
      if (i + 2 < compact.size()) throw Error(ErrorCode::malformed_input, "base64 padding inside the data", context);
      ++padding;
    } else if (padding > 0 || !is_alphabet(c)) {
      throw Error(ErrorCode::malformed_input, "bad base64 character at offset " + std::to_string(i), context);
    }
  }
  Bytes out(compact.size() / 4 * 3);
  if (compact.empty()) return out;
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(compact.data()),
                                static_cast<int>(compact.size()));
  if (n < 0) throw Error(ErrorCode::malformed_input, "undecodable base64", context);
  out.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

}  // namespace onshi::ons
