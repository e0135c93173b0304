// Which rigs the load smoke can drive: it multiplies the rig's readers, so only emulated
// readers holding virtual cards, against the embedded mock or a remote ONS; any other rig
// is skipped with a reason naming the link that stops it (docs/optest.md).
#include <gtest/gtest.h>

#include "onshi/optest/load_smoke.hpp"
#include "onshi/rig/rig_config.hpp"

namespace onshi::optest {
namespace {

rig::RigConfig rig_of(const std::string& card, const std::string& reader, const std::string& ons) {
  rig::RigConfig config;
  config.card.kind = card;
  config.reader.kind = reader;
  config.ons.kind = ons;
  return config;
}

TEST(LoadSmoke, DrivesEmulatedReadersAgainstTheEmbeddedMockOrARemoteOns) {
  EXPECT_EQ(why_load_cannot_drive(rig_of("virtual", "emulated", "embedded-mock")), "");
  EXPECT_EQ(why_load_cannot_drive(rig_of("virtual", "emulated", "remote")), "");
}

TEST(LoadSmoke, NamesTheLinkItCannotDrive) {
  const std::string physical = why_load_cannot_drive(rig_of("physical", "usbip", "embedded-mock"));
  EXPECT_NE(physical.find("card physical, reader usbip"), std::string::npos) << physical;
  const std::string ons = why_load_cannot_drive(rig_of("virtual", "emulated", "standalone-mock"));
  EXPECT_NE(ons.find("ons standalone-mock"), std::string::npos) << ons;
}

}  // namespace
}  // namespace onshi::optest
