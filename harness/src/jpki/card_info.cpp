#include "onshi/jpki/card_info.hpp"

#include <algorithm>

#include "onshi/core/digits.hpp"
#include "onshi/core/error.hpp"

namespace onshi::jpki {
namespace {

constexpr std::uint16_t tag_my_number = 0x00D0;
constexpr std::uint16_t tag_record = 0xFF20;
constexpr std::uint16_t tag_offsets = 0xDF21;

[[noreturn]] void malformed(const std::string& context, std::size_t offset, const std::string& what) {
  throw Error(ErrorCode::malformed_input, what + " at offset " + std::to_string(offset), context);
}

void require_digits(const std::string& text, std::size_t count, const std::string& what) {
  if (!is_digits(text, count)) {
    throw Error(ErrorCode::invalid_argument, what + " must be " + std::to_string(count) + " digits", "card info");
  }
}

// FF 20 L { DF21 offsets, elements... }: the offsets are computed over the encoded elements.
Bytes encode_record(const std::vector<Tlv>& elements) {
  std::vector<Bytes> encoded;
  for (const Tlv& e : elements) encoded.push_back(encode_tlv(e.tag, e.value));
  const std::size_t offsets_size = encode_tlv(tag_offsets, Bytes(2 * elements.size())).size();
  Bytes offsets;
  std::size_t position = offsets_size;
  for (const Bytes& e : encoded) {
    store_be16(offsets, static_cast<std::uint16_t>(position));
    position += e.size();
  }
  Bytes value = encode_tlv(tag_offsets, offsets);
  for (const Bytes& e : encoded) append(value, e);
  return encode_tlv(tag_record, value);
}

// The elements of an FF 20 record by tag, checked against the DF21 offsets.
std::vector<Tlv> parse_record(ByteView file, const std::string& context) {
  const std::vector<Tlv> outer = parse_tlvs(file, context);
  if (outer.empty() || outer.front().tag != tag_record) malformed(context, 0, "no FF 20 record");
  std::vector<Tlv> inner = parse_tlvs(outer.front().value, context + " FF 20");
  if (inner.empty() || inner.front().tag != tag_offsets) malformed(context, 0, "FF 20 does not start with DF21");
  return inner;
}

const Tlv& element(const std::vector<Tlv>& elements, std::uint16_t tag, const std::string& context) {
  for (const Tlv& e : elements) {
    if (e.tag == tag) return e;
  }
  Bytes raw;
  store_be16(raw, tag);
  throw Error(ErrorCode::malformed_input, "no element " + to_hex(raw), context);
}

}  // namespace

Bytes encode_tlv(std::uint16_t tag, ByteView value) {
  Bytes out;
  if (tag > 0xFF) out.push_back(static_cast<std::uint8_t>(tag >> 8));
  out.push_back(static_cast<std::uint8_t>(tag));
  const std::size_t n = value.size();
  if (n < 0x80) {
    out.push_back(static_cast<std::uint8_t>(n));
  } else if (n <= 0xFF) {
    out.push_back(0x81);
    out.push_back(static_cast<std::uint8_t>(n));
  } else if (n <= 0xFFFF) {
    out.push_back(0x82);
    store_be16(out, static_cast<std::uint16_t>(n));
  } else {
    throw Error(ErrorCode::invalid_argument, "TLV value over 65535 bytes", "card info");
  }
  append(out, value);
  return out;
}

std::vector<Tlv> parse_tlvs(ByteView data, const std::string& context) {
  std::vector<Tlv> out;
  std::size_t pos = 0;
  while (pos < data.size()) {
    if (data[pos] == 0x00 || data[pos] == 0xFF) {
      // FF starts a two-byte tag only when a tag byte follows; padding runs to the end.
      const bool padding = std::all_of(data.begin() + static_cast<std::ptrdiff_t>(pos), data.end(),
                                       [&](std::uint8_t b) { return b == data[pos]; });
      if (padding) break;
    }
    const std::size_t start = pos;
    std::uint16_t tag = data[pos++];
    if ((tag & 0x1F) == 0x1F) {
      if (pos >= data.size()) malformed(context, start, "tag cut short");
      if ((data[pos] & 0x80) != 0) malformed(context, start, "tag longer than two bytes");
      tag = static_cast<std::uint16_t>(tag << 8 | data[pos++]);
    }
    if (pos >= data.size()) malformed(context, start, "no length byte");
    std::size_t length = data[pos++];
    if (length == 0x80) malformed(context, start, "indefinite length");
    if (length > 0x80) {
      const std::size_t count = length & 0x7F;
      if (count > 3) malformed(context, start, "length field of " + std::to_string(count) + " bytes");
      if (data.size() - pos < count) malformed(context, start, "length field cut short");
      length = 0;
      for (std::size_t i = 0; i < count; ++i) length = length << 8 | data[pos++];
    }
    if (data.size() - pos < length) {
      malformed(context, start, "value of " + std::to_string(length) + " bytes runs past the end");
    }
    const auto first = data.begin() + static_cast<std::ptrdiff_t>(pos);
    out.push_back({tag, Bytes(first, first + static_cast<std::ptrdiff_t>(length))});
    pos += length;
  }
  return out;
}

Bytes encode_my_number_file(const std::string& my_number) {
  require_digits(my_number, 12, "My Number");
  return encode_tlv(tag_my_number, to_bytes(my_number));
}

std::string parse_my_number_file(ByteView file) {
  const std::vector<Tlv> tlvs = parse_tlvs(file, "kenhojo EF 0001");
  if (tlvs.empty() || tlvs.front().tag != tag_my_number) malformed("kenhojo EF 0001", 0, "no D0 element");
  std::string number = to_string(tlvs.front().value);
  if (!is_digits(number, 12)) malformed("kenhojo EF 0001", 2, "My Number is not 12 digits");
  return number;
}

Bytes encode_basic_four(const BasicFourInfo& info) {
  require_digits(info.birthdate, 8, "birth date");
  return encode_record({{0xDF22, to_bytes(info.name)},
                        {0xDF23, to_bytes(info.address)},
                        {0xDF24, to_bytes(info.birthdate)},
                        {0xDF25, to_bytes(info.sex)}});
}

BasicFourInfo parse_basic_four(ByteView file) {
  const std::string context = "kenhojo EF 0002";
  const std::vector<Tlv> e = parse_record(file, context);
  BasicFourInfo info;
  info.name = to_string(element(e, 0xDF22, context).value);
  info.address = to_string(element(e, 0xDF23, context).value);
  info.birthdate = to_string(element(e, 0xDF24, context).value);
  info.sex = to_string(element(e, 0xDF25, context).value);
  return info;
}

Bytes card_surface_signed_part(const CardSurfaceInfo& info) {
  Bytes out;
  append(out, encode_tlv(0xDF22, to_bytes(info.birthdate)));
  append(out, encode_tlv(0xDF23, to_bytes(info.sex)));
  append(out, encode_tlv(0xDF24, info.public_key));
  append(out, encode_tlv(0xDF25, info.name_image));
  append(out, encode_tlv(0xDF26, info.address_image));
  append(out, encode_tlv(0xDF27, info.face_image));
  return out;
}

Bytes encode_card_surface(const CardSurfaceInfo& info) {
  require_digits(info.birthdate, 8, "birth date");
  require_digits(info.expiry, 8, "card expiry");
  return encode_record({{0xDF22, to_bytes(info.birthdate)},
                        {0xDF23, to_bytes(info.sex)},
                        {0xDF24, info.public_key},
                        {0xDF25, info.name_image},
                        {0xDF26, info.address_image},
                        {0xDF27, info.face_image},
                        {0xDF28, info.signature},
                        {0xDF29, to_bytes(info.expiry)},
                        {0xDF2A, info.security_code_image}});
}

CardSurfaceInfo parse_card_surface(ByteView file) {
  const std::string context = "kenkaku EF 0002";
  const std::vector<Tlv> e = parse_record(file, context);
  CardSurfaceInfo info;
  info.birthdate = to_string(element(e, 0xDF22, context).value);
  info.sex = to_string(element(e, 0xDF23, context).value);
  info.public_key = element(e, 0xDF24, context).value;
  info.name_image = element(e, 0xDF25, context).value;
  info.address_image = element(e, 0xDF26, context).value;
  info.face_image = element(e, 0xDF27, context).value;
  info.signature = element(e, 0xDF28, context).value;
  info.expiry = to_string(element(e, 0xDF29, context).value);
  info.security_code_image = element(e, 0xDF2A, context).value;
  return info;
}

std::string collation_number_b(const std::string& birthdate_yyyymmdd, const std::string& expiry_yyyymmdd,
                               const std::string& security_code) {
  require_digits(birthdate_yyyymmdd, 8, "birth date");
  require_digits(expiry_yyyymmdd, 8, "card expiry");
  require_digits(security_code, 4, "security code");
  return birthdate_yyyymmdd.substr(2) + expiry_yyyymmdd.substr(0, 4) + security_code;
}

}  // namespace onshi::jpki
