// Hex text both ways: what every codec test and log line relies on, and malformed hex named
// with where it went wrong.
#include <gtest/gtest.h>

#include "onshi/core/bytes.hpp"
#include "onshi/core/error.hpp"
#include "onshi/testing/error_of.hpp"

namespace onshi {
namespace {

TEST(Hex, RoundTripsAndAcceptsSeparatorsAndBothCases) {
  const Bytes bytes{0x00, 0x3B, 0xa4, 0xFF};
  EXPECT_EQ(to_hex(bytes), "003BA4FF");
  EXPECT_EQ(to_hex(bytes, " "), "00 3B A4 FF");
  EXPECT_EQ(from_hex("003ba4ff"), bytes);
  EXPECT_EQ(from_hex("00 3B:A4\tff\n"), bytes);
  EXPECT_EQ(from_hex(to_hex(bytes, " ")), bytes);
  EXPECT_TRUE(from_hex("").empty());
  EXPECT_EQ(to_hex(Bytes{}), "");
}

Error hex_error(std::string_view text) {
  return testing::error_of([&] { from_hex(text); });
}

TEST(Hex, NonHexDigitIsNamedWithItsOffset) {
  const Error e = hex_error("00G1");
  EXPECT_EQ(e.code(), ErrorCode::malformed_input);
  EXPECT_EQ(e.message(), "not a hex digit: 'G'");
  EXPECT_EQ(e.context(), "hex offset 2");
}

TEST(Hex, OddDigitCountIsRefused) {
  EXPECT_EQ(hex_error("ABC").message(), "odd number of hex digits");
  const Error split = hex_error("A BC");  // half a byte before a separator
  EXPECT_EQ(split.message(), "odd hex digit before separator");
  EXPECT_EQ(split.context(), "hex offset 1");
}

}  // namespace
}  // namespace onshi
