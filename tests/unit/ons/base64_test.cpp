#include "onshi/ons/base64.hpp"

#include <gtest/gtest.h>

#include "onshi/core/error.hpp"

namespace onshi::ons {
namespace {

TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(to_bytes(plain)), encoded);
    EXPECT_EQ(to_string(base64_decode(encoded)), plain);
  }
}

TEST(Base64, BinaryRoundTripAndLineWrapping) {
  Bytes all(256);
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::uint8_t>(i);
  std::string text = base64_encode(all);
  EXPECT_EQ(base64_decode(text), all);
  text.insert(64, "\r\n  ");
  EXPECT_EQ(base64_decode(text), all);
}

TEST(Base64, RejectsMalformedTextNamingTheContext) {
  for (const char* bad : {"Zg=", "Zm9v!", "Zg==Zg==", "Z===", "Zm9vYmFy=", "Zm-v"}) {
    try {
      base64_decode(bad, "XmlMsg/X");
      ADD_FAILURE() << "accepted " << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::malformed_input);
      EXPECT_EQ(e.context(), "XmlMsg/X");
    }
  }
}

}  // namespace
}  // namespace onshi::ons
