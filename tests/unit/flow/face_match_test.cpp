#include <gtest/gtest.h>

#include "onshi/core/error.hpp"
#include "onshi/flow/face_match.hpp"

namespace onshi::flow {
namespace {

const Bytes jp2 = from_hex("0000000C 6A502020 0D0A870A 00000014 66747970");

TEST(FaceMatch, SameSeedSameScore) {
  EXPECT_DOUBLE_EQ(simulate_face_match(jp2, 42, 0.5).score, simulate_face_match(jp2, 42, 0.5).score);
  EXPECT_NE(simulate_face_match(jp2, 1, 0.5).score, simulate_face_match(jp2, 2, 0.5).score);
}

TEST(FaceMatch, ThresholdDecides) {
  const double score = simulate_face_match(jp2, 2, 0.0).score;
  EXPECT_GE(score, 0.0);
  EXPECT_LT(score, 1.0);
  EXPECT_TRUE(simulate_face_match(jp2, 2, score).matched);
  EXPECT_FALSE(simulate_face_match(jp2, 2, score + 1e-9).matched);
}

TEST(FaceMatch, CatalogueSeedsLandWhereTheCatalogueSays) {
  EXPECT_TRUE(simulate_face_match(jp2, 2, 0.8).matched);   // face-match
  EXPECT_FALSE(simulate_face_match(jp2, 1, 0.8).matched);  // face-miss-then-pin
}

TEST(FaceMatch, NotAJpeg2000ImageIsAnError) {
  EXPECT_THROW(simulate_face_match(from_hex("FFD8FFE0 00104A46 49460001"), 1, 0.5), Error);
  EXPECT_THROW(simulate_face_match({}, 1, 0.5), Error);
}

}  // namespace
}  // namespace onshi::flow
