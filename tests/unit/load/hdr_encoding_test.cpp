// The V2 encoding byte by byte for known histograms (the header fields, ZigZag LEB128 counts,
// zero runs), the compressed form's cookie and "HISTF" base64 prefix, and round trips. That a
// real HdrHistogram library reads what we write is the e2e test's business
// (tests/e2e/load/, HdrHistogram's own Java HistogramLogReader).
#include <gtest/gtest.h>

#include <limits>

#include "onshi/core/error.hpp"
#include "onshi/load/hdr_encoding.hpp"
#include "onshi/testing/error_of.hpp"

namespace onshi::load {
namespace {

Bytes zigzag(std::int64_t v) {
  Bytes out;
  append_zigzag_leb128(out, v);
  return out;
}

TEST(ZigZagLeb128, KnownEncodings) {
  EXPECT_EQ(zigzag(0), (Bytes{0x00}));
  EXPECT_EQ(zigzag(1), (Bytes{0x02}));
  EXPECT_EQ(zigzag(-1), (Bytes{0x01}));
  EXPECT_EQ(zigzag(-2), (Bytes{0x03}));
  EXPECT_EQ(zigzag(63), (Bytes{0x7E}));
  EXPECT_EQ(zigzag(64), (Bytes{0x80, 0x01}));
  EXPECT_EQ(zigzag(300), (Bytes{0xD8, 0x04}));
  // The ninth byte carries a full 8 bits, with no continuation flag.
  EXPECT_EQ(zigzag(std::numeric_limits<std::int64_t>::max()),
            (Bytes{0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}));
  EXPECT_EQ(zigzag(std::numeric_limits<std::int64_t>::min()),
            (Bytes{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}));
}

TEST(ZigZagLeb128, RoundTripsAndRefusesATruncatedValue) {
  for (std::int64_t v : {std::int64_t{0}, std::int64_t{-5}, std::int64_t{123456789}, std::int64_t{-987654321012},
                         std::numeric_limits<std::int64_t>::max(), std::numeric_limits<std::int64_t>::min()}) {
    const Bytes b = zigzag(v);
    std::size_t offset = 0;
    EXPECT_EQ(read_zigzag_leb128(b, offset), v);
    EXPECT_EQ(offset, b.size());
  }
  const Bytes cut{0x80, 0x80};
  std::size_t offset = 0;
  EXPECT_EQ(testing::error_of([&] { read_zigzag_leb128(cut, offset); }).code(), ErrorCode::malformed_input);
}

TEST(HdrEncoding, UncompressedBytesForOneValue) {
  HdrHistogram h;
  h.record(1);
  const Bytes expected{
      0x1c, 0x84, 0x93, 0x13,                          // V2 cookie
      0x00, 0x00, 0x00, 0x02,                          // payload: 2 bytes
      0x00, 0x00, 0x00, 0x00,                          // normalizing index offset
      0x00, 0x00, 0x00, 0x03,                          // 3 significant digits
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,  // lowest discernible 1
      0x00, 0x00, 0x00, 0x00, 0xD6, 0x93, 0xA4, 0x00,  // highest trackable 3600000000
      0x3F, 0xF0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // ratio 1.0
      0x00,                                            // index 0: a single zero is written as 0
      0x02,                                            // index 1: count 1
  };
  EXPECT_EQ(encode_uncompressed(h), expected);
}

TEST(HdrEncoding, RunsOfZerosAreNegativeCounts) {
  HdrHistogram h;
  h.record(3, 2);
  h.record(1000, 70);
  const Bytes encoded = encode_uncompressed(h);
  // index 0..2 zero (-3), index 3 count 2, 996 zeros (-996), index 1000 count 70.
  Bytes payload;
  for (std::int64_t v : {std::int64_t{-3}, std::int64_t{2}, std::int64_t{-996}, std::int64_t{70}}) {
    append_zigzag_leb128(payload, v);
  }
  ASSERT_EQ(encoded.size(), 40 + payload.size());
  EXPECT_EQ(Bytes(encoded.begin() + 40, encoded.end()), payload);
  EXPECT_EQ(encoded[7], payload.size());
}

TEST(HdrEncoding, EmptyHistogramHasNoPayload) {
  const Bytes encoded = encode_uncompressed(HdrHistogram{});
  EXPECT_EQ(encoded.size(), 40u);
  EXPECT_EQ(decode_uncompressed(encoded).total_count(), 0);
}

TEST(HdrEncoding, CompressedFormStartsWithItsCookieAndReadsHistfInBase64) {
  HdrHistogram h;
  h.record(4321);
  const Bytes compressed = encode_compressed(h);
  ASSERT_GE(compressed.size(), 10u);
  EXPECT_EQ((Bytes(compressed.begin(), compressed.begin() + 4)), (Bytes{0x1c, 0x84, 0x93, 0x14}));
  EXPECT_EQ(load_be32(compressed, 4), compressed.size() - 8);
  EXPECT_EQ(compressed[8], 0x78);  // a zlib stream (deflate, 32K window), as java.util.zip.Deflater writes
  EXPECT_EQ(encode_compressed_base64(h).substr(0, 5), "HISTF");
}

TEST(HdrEncoding, RoundTripKeepsEveryCount) {
  HdrHistogram h;
  for (std::int64_t v = 1; v < 3'000'000'000; v = v * 3 + 7) h.record(v, v % 5 + 1);
  h.record(0, 4);
  const HdrHistogram back = decode_compressed_base64(encode_compressed_base64(h));
  EXPECT_EQ(back.counts(), h.counts());
  EXPECT_EQ(back.total_count(), h.total_count());
  EXPECT_EQ(back.min(), h.min());
  EXPECT_EQ(back.max(), h.max());
  EXPECT_EQ(back.value_at_percentile(99.9), h.value_at_percentile(99.9));
}

TEST(HdrEncoding, DamagedInputIsRefusedByName) {
  HdrHistogram h;
  h.record(10);
  Bytes compressed = encode_compressed(h);
  Bytes bad_cookie = compressed;
  bad_cookie[3] = 0x15;
  EXPECT_EQ(testing::error_of([&] { decode_compressed(bad_cookie); }).code(), ErrorCode::malformed_input);
  compressed[12] ^= 0xFF;
  EXPECT_EQ(testing::error_of([&] { decode_compressed(compressed); }).code(), ErrorCode::malformed_input);
  Bytes plain = encode_uncompressed(h);
  plain[7] = 0x7F;  // payload longer than the buffer
  const Error e = testing::error_of([&] { decode_uncompressed(plain); });
  EXPECT_NE(e.message().find("payload length"), std::string::npos) << e.what();
  EXPECT_EQ(testing::error_of([&] { decode_compressed_base64("not base64!"); }).code(), ErrorCode::malformed_input);
}

}  // namespace
}  // namespace onshi::load
