#include "onshi/flow/face_match.hpp"

#include <algorithm>
#include <random>

#include "onshi/core/error.hpp"

namespace onshi::flow {

FaceMatch simulate_face_match(ByteView face_image, std::uint64_t seed, double threshold) {
  static const Bytes jp2_signature = from_hex("0000000C 6A502020 0D0A870A");
  if (face_image.size() <= jp2_signature.size() ||
      !std::equal(jp2_signature.begin(), jp2_signature.end(), face_image.begin())) {
    throw Error(ErrorCode::malformed_input, "the card's face image is not a JPEG 2000 file", "券面AP DF27");
  }
  std::mt19937_64 random(seed);
  // 53 random bits -> [0, 1): the same on every platform, unlike uniform_real_distribution.
  const double score = static_cast<double>(random() >> 11) * 0x1.0p-53;
  return {score, score >= threshold};
}

}  // namespace onshi::flow
