#include "onshi/jpki/token_info.hpp"

#include <algorithm>

#include "onshi/core/error.hpp"

namespace onshi::jpki {
namespace {

// CK_TOKEN_INFO: label[32], manufacturerID[32], model[16], serialNumber[16] are blank-padded
// text; flags, ten CK_ULONG counters, two CK_VERSIONs and utcTime[16] follow.
constexpr std::size_t padded_text_size = 32 + 32 + 16 + 16;

}  // namespace

Bytes make_token_info(std::string_view label) {
  if (label.size() > token_label_size) {
    throw Error(ErrorCode::invalid_argument, "token label over 32 bytes", "token info");
  }
  Bytes info(token_info_size, 0x00);
  std::fill_n(info.begin(), padded_text_size, static_cast<std::uint8_t>(' '));
  std::copy(label.begin(), label.end(), info.begin());
  return info;
}

std::string parse_token_label(ByteView token_info) {
  std::string label = onshi::to_string(token_info.first(std::min(token_info.size(), token_label_size)));
  while (!label.empty() && (label.back() == ' ' || label.back() == '\0')) label.pop_back();
  return label;
}

}  // namespace onshi::jpki
