#include "onshi/load/hdr_encoding.hpp"

#include <zlib.h>

#include <bit>
#include <cstring>
#include <string>

#include "onshi/core/error.hpp"
#include "onshi/ons/base64.hpp"

namespace onshi::load {
namespace {

constexpr std::size_t header_bytes = 40;
// The largest uncompressed histogram we accept when inflating: far above 1 µs..1 h at 5 digits.
constexpr std::size_t max_inflated_bytes = 64u << 20;

void put_be32(Bytes& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}
void put_be64(Bytes& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}
std::uint64_t load_be64(ByteView in, std::size_t offset) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | in[offset + i];
  return v;
}
void set_be32(Bytes& out, std::size_t offset, std::uint32_t v) {
  for (std::size_t i = 0; i < 4; ++i) out[offset + i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}

[[noreturn]] void malformed(const std::string& what) {
  throw Error(ErrorCode::malformed_input, "HDR histogram encoding: " + what);
}

}  // namespace

void append_zigzag_leb128(Bytes& out, std::int64_t value) {
  std::uint64_t v = (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
  for (int i = 0; i < 8; ++i) {
    if ((v >> 7) == 0) {
      out.push_back(static_cast<std::uint8_t>(v));
      return;
    }
    out.push_back(static_cast<std::uint8_t>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(v));  // the ninth byte: all 8 bits, no continuation
}

std::int64_t read_zigzag_leb128(ByteView in, std::size_t& offset) {
  std::uint64_t v = 0;
  for (int i = 0; i < 9; ++i) {
    if (offset >= in.size()) malformed("a count is cut off at byte " + std::to_string(offset));
    const std::uint8_t b = in[offset++];
    if (i == 8) {
      v |= static_cast<std::uint64_t>(b) << 56;
      break;
    }
    v |= static_cast<std::uint64_t>(b & 0x7F) << (7 * i);
    if ((b & 0x80) == 0) break;
  }
  return static_cast<std::int64_t>((v >> 1) ^ (~(v & 1) + 1));
}

Bytes encode_uncompressed(const HdrHistogram& histogram) {
  const HdrLayout& layout = histogram.layout();
  Bytes out;
  out.reserve(header_bytes + 64);
  put_be32(out, hdr_v2_encoding_cookie);
  put_be32(out, 0);  // payload length, set below
  put_be32(out, 0);  // normalizing index offset: we never shift
  put_be32(out, static_cast<std::uint32_t>(layout.significant_digits()));
  put_be64(out, static_cast<std::uint64_t>(layout.lowest_discernible()));
  put_be64(out, static_cast<std::uint64_t>(layout.highest_trackable()));
  put_be64(out, std::bit_cast<std::uint64_t>(1.0));

  const auto& counts = histogram.counts();
  const std::size_t limit = histogram.max() == 0 && counts[0] == 0 && histogram.total_count() == 0
                                ? 0
                                : layout.index_of(histogram.max()) + 1;
  for (std::size_t i = 0; i < limit; ++i) {
    if (counts[i] != 0) {
      append_zigzag_leb128(out, counts[i]);
      continue;
    }
    std::int64_t zeros = 1;
    while (i + 1 < limit && counts[i + 1] == 0) {
      ++zeros;
      ++i;
    }
    append_zigzag_leb128(out, zeros > 1 ? -zeros : 0);
  }
  set_be32(out, 4, static_cast<std::uint32_t>(out.size() - header_bytes));
  return out;
}

Bytes encode_compressed(const HdrHistogram& histogram) {
  const Bytes plain = encode_uncompressed(histogram);
  uLongf deflated_size = compressBound(static_cast<uLong>(plain.size()));
  Bytes out(8 + deflated_size);
  if (compress2(out.data() + 8, &deflated_size, plain.data(), static_cast<uLong>(plain.size()), Z_DEFAULT_COMPRESSION) !=
      Z_OK) {
    throw Error(ErrorCode::state, "HDR histogram encoding: zlib deflate failed");
  }
  out.resize(8 + deflated_size);
  set_be32(out, 0, hdr_v2_compressed_cookie);
  set_be32(out, 4, static_cast<std::uint32_t>(deflated_size));
  return out;
}

std::string encode_compressed_base64(const HdrHistogram& histogram) {
  return ons::base64_encode(encode_compressed(histogram));
}

HdrHistogram decode_uncompressed(ByteView in) {
  if (in.size() < header_bytes) malformed("shorter than its 40-byte header");
  const std::uint32_t cookie = load_be32(in, 0);
  if (cookie != hdr_v2_encoding_cookie) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "%08x", cookie);
    malformed(std::string("cookie 0x") + hex + " is not V2 (0x1c849313)");
  }
  const std::uint32_t payload = load_be32(in, 4);
  if (load_be32(in, 8) != 0) malformed("a normalizing index offset other than 0 is not supported");
  const auto digits = static_cast<int>(load_be32(in, 12));
  const auto lowest = static_cast<std::int64_t>(load_be64(in, 16));
  const auto highest = static_cast<std::int64_t>(load_be64(in, 24));
  if (payload > in.size() - header_bytes) malformed("payload length " + std::to_string(payload) + " beyond the buffer");
  HdrHistogram histogram{HdrLayout(lowest, highest, digits)};
  const ByteView counts = in.subspan(header_bytes, payload);
  std::size_t offset = 0;
  std::size_t index = 0;
  while (offset < counts.size()) {
    const std::int64_t value = read_zigzag_leb128(counts, offset);
    if (value < 0) {
      index += static_cast<std::size_t>(-value);
      continue;
    }
    if (value > 0) histogram.set_count_at_index(index, value);
    ++index;
  }
  return histogram;
}

HdrHistogram decode_compressed(ByteView in) {
  if (in.size() < 8) malformed("shorter than its 8-byte compressed header");
  if (load_be32(in, 0) != hdr_v2_compressed_cookie) malformed("compressed cookie is not V2 (0x1c849314)");
  const std::uint32_t length = load_be32(in, 4);
  if (length > in.size() - 8) malformed("compressed length " + std::to_string(length) + " beyond the buffer");
  z_stream stream{};
  if (inflateInit(&stream) != Z_OK) throw Error(ErrorCode::state, "HDR histogram encoding: zlib inflateInit failed");
  Bytes plain;
  stream.next_in = const_cast<Bytef*>(in.data() + 8);  // zlib's API is not const-correct
  stream.avail_in = length;
  int rc = Z_OK;
  while (rc == Z_OK) {
    if (plain.size() >= max_inflated_bytes) break;
    const std::size_t had = plain.size();
    plain.resize(had + 65536);
    stream.next_out = plain.data() + had;
    stream.avail_out = 65536;
    rc = inflate(&stream, Z_NO_FLUSH);
    plain.resize(had + 65536 - stream.avail_out);
  }
  inflateEnd(&stream);
  if (rc != Z_STREAM_END) malformed("the zlib stream is damaged or too large");
  return decode_uncompressed(plain);
}

HdrHistogram decode_compressed_base64(std::string_view text) {
  return decode_compressed(ons::base64_decode(text, "HDR histogram"));
}

}  // namespace onshi::load
