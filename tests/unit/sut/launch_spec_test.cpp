#include "onshi/sut/launch_spec.hpp"

#include <gtest/gtest.h>

namespace onshi::sut {
namespace {

TEST(ReadyCondition, DescribesItselfAsTheRigWritesIt) {
  ReadyCondition c;
  EXPECT_EQ(c.describe(), "ready when started");
  c.kind = ReadyCondition::Kind::file;
  c.file = "/srv/rc/ready";
  EXPECT_EQ(c.describe(), "ready = { file = \"/srv/rc/ready\" }");
  c.kind = ReadyCondition::Kind::port;
  c.port = 8080;
  EXPECT_EQ(c.describe(), "ready = { port = 8080 }");
  c.kind = ReadyCondition::Kind::stdout_match;
  c.stdout_pattern = "watching .*";
  EXPECT_EQ(c.describe(), "ready = { stdout = \"watching .*\" }");
}

}  // namespace
}  // namespace onshi::sut
