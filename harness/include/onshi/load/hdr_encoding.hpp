#pragma once
// HdrHistogram's V2 histogram encoding (docs/load.md, "The interval log"), the form every
// HdrHistogram library reads:
//
//   uncompressed: be32 cookie 0x1c849313 · be32 payload bytes · be32 normalizing index offset (0)
//                 · be32 significant digits · be64 lowest discernible · be64 highest trackable
//                 · be64 IEEE double integer-to-double ratio (1.0)
//                 · payload: the counts array up to the last non-zero count, each count ZigZag
//                   LEB128 (at most 9 bytes), a run of N >= 2 zeros written as the count -N
//   compressed:   be32 cookie 0x1c849314 · be32 deflated bytes · zlib deflate of the above
//
// The interval log carries the compressed form in base64 ("HISTF…").
#include <cstdint>
#include <string>
#include <string_view>

#include "onshi/core/bytes.hpp"
#include "onshi/load/hdr_histogram.hpp"

namespace onshi::load {

inline constexpr std::uint32_t hdr_v2_encoding_cookie = 0x1c849313;
inline constexpr std::uint32_t hdr_v2_compressed_cookie = 0x1c849314;

// ZigZag LEB128 as HdrHistogram writes it (9 bytes at most: the ninth carries 8 bits).
void append_zigzag_leb128(Bytes& out, std::int64_t value);
// Reads one value at `offset`, moving it past; throws Error(malformed_input) when truncated.
std::int64_t read_zigzag_leb128(ByteView in, std::size_t& offset);

Bytes encode_uncompressed(const HdrHistogram& histogram);
Bytes encode_compressed(const HdrHistogram& histogram);
std::string encode_compressed_base64(const HdrHistogram& histogram);

// Decoders for our own checks and merges. Throw Error(malformed_input) naming what is wrong
// (cookie, length, zlib stream, counts beyond the layout).
HdrHistogram decode_uncompressed(ByteView encoded);
HdrHistogram decode_compressed(ByteView encoded);
HdrHistogram decode_compressed_base64(std::string_view text);

}  // namespace onshi::load
