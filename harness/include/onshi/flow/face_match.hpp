#pragma once
// The face reader's camera comparison, simulated: the harness cannot photograph anyone, so
// the match score is drawn from a seed (same seed, same score) and compared with the
// scenario's threshold. The card side is real: the image compared is the JPEG 2000 read from
// the 券面AP, and a record without one fails before any score is drawn.
#include <cstdint>

#include "onshi/core/bytes.hpp"

namespace onshi::flow {

struct FaceMatch {
  double score = 0.0;
  bool matched = false;
};

// Uniform in [0, 1) from `seed`. Throws Error(malformed_input) when `face_image` is not a JP2
// file (the 12-byte JPEG 2000 signature box).
FaceMatch simulate_face_match(ByteView face_image, std::uint64_t seed, double threshold);

}  // namespace onshi::flow
