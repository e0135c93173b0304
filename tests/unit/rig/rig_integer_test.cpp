// Rig integers are range-checked before they are narrowed: a value past 2^32 must not wrap
// into the allowed range (4294967298 would become 2 threads, 4294967376 port 80).
#include <gtest/gtest.h>

#include <string>

#include "onshi/core/error.hpp"
#include "onshi/rig/rig_config.hpp"

namespace onshi::rig {
namespace {

const std::string minimal_rig = "name = \"x\"\n[facility]\ncode = \"1312345678\"\n";

std::string error_of(const std::string& text) {
  try {
    parse_rig(text, "wrap.toml");
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(RigInteger, ThreadsPastTwoToThe32DoNotWrapIntoRange) {
  const std::string message = error_of(minimal_rig + "[ons]\nthreads = 4294967298\n");
  EXPECT_NE(message.find("wrap.toml:5"), std::string::npos) << message;
  EXPECT_NE(message.find("key 'threads': must be 1..64"), std::string::npos) << message;
}

TEST(RigInteger, AdminPortPastTwoToThe32DoesNotWrapToPort80) {
  const std::string message = error_of(minimal_rig + "[ons]\nadmin_port = 4294967376\n");
  EXPECT_NE(message.find("key 'admin_port'"), std::string::npos) << message;
  EXPECT_NE(message.find("4294967376"), std::string::npos) << message;
}

TEST(RigInteger, NegativeThreadsAreRefusedNotWrapped) {
  EXPECT_NE(error_of(minimal_rig + "[ons]\nthreads = -4294967294\n").find("key 'threads'"), std::string::npos);
}

}  // namespace
}  // namespace onshi::rig
