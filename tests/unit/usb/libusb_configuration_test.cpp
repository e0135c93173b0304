// The libusb backend reads a device's configuration through the same parser as every other
// backend (usb::ConfigurationDescriptor::parse), from the kernel's copy in sysfs. Under
// umockdev's testbed (in process, run under umockdev-wrapper for its LD_PRELOAD), a reader
// whose configuration holds a zero-length descriptor is listed with the parser's error
// naming the offset, and LibusbTransport::open refuses it with Error(malformed_input)
// before it is opened or claimed.
#include <gtest/gtest.h>
#include <umockdev.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "onshi/core/error.hpp"
#include "onshi/testing/process.hpp"
#include "onshi/usb/libusb_transport.hpp"
#include "umockdev_environment.hpp"
#include "umockdev_reader.hpp"

namespace onshi::usb {
namespace {

using namespace std::chrono_literals;

// The emulated reader's umockdev description with its descriptors attribute replaced.
std::string description_with_descriptors(const Bytes& descriptors) {
  std::string description = umockdev_description(mocks::reader::EmulatedCcidReader{});
  const std::string key = "H: descriptors=";
  const std::size_t at = description.find(key);
  const std::size_t end = description.find('\n', at);
  if (at == std::string::npos || end == std::string::npos) return {};
  return description.replace(at + key.size(), end - at - key.size(), to_hex(descriptors));
}

// Device descriptor, then a configuration whose CCID class descriptor (configuration
// offset 18: after the 9-byte header and the 9-byte interface) says bLength 0.
Bytes descriptors_with_zero_length_class_block() {
  const mocks::reader::EmulatedCcidReader reader;
  Bytes configuration = reader.configuration_descriptor().encode();
  configuration.at(18) = 0;
  Bytes out = reader.device_descriptor().encode();
  append(out, configuration);
  return out;
}

void malformed_configuration_inside_testbed() {
  UMockdevTestbed* testbed = umockdev_testbed_new();
  ASSERT_NE(testbed, nullptr);
  GError* error = nullptr;
  const std::string description = description_with_descriptors(descriptors_with_zero_length_class_block());
  ASSERT_FALSE(description.empty());
  ASSERT_NE(umockdev_testbed_add_from_string(testbed, description.c_str(), &error), 0)
      << (error != nullptr ? error->message : "unknown umockdev error");

  const LibusbDevice* found = nullptr;
  const auto devices = libusb_list_devices(false);
  for (const auto& d : devices) {
    if (d.device.vendor_id == 0x08E6 && d.device.product_id == 0x4433) found = &d;
  }
  ASSERT_NE(found, nullptr) << "libusb saw " << devices.size() << " devices under umockdev";
  EXPECT_TRUE(found->configuration.interfaces.empty());
  EXPECT_NE(found->configuration_error.find("configuration descriptor at offset 18"), std::string::npos)
      << found->configuration_error;
  EXPECT_NE(found->configuration_error.find("bLength 0 is shorter than a descriptor header"), std::string::npos)
      << found->configuration_error;

  try {
    LibusbTransport::open(parse_libusb_selector("08e6:4433"));
    ADD_FAILURE() << "opened a reader whose configuration descriptor is malformed";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::malformed_input) << e.what();
    EXPECT_NE(e.context().find("offset 18"), std::string::npos) << e.what();
    EXPECT_NE(e.context().find("08e6:4433"), std::string::npos) << e.what();
  }
  g_object_unref(testbed);
}

TEST(LibusbConfigurationUnderUmockdev, MalformedConfigurationIsRefusedNamingTheOffset) {
  if (std::getenv("ONSHI_UMOCKDEV_TESTBED") != nullptr) {
    malformed_configuration_inside_testbed();
    return;
  }
  if (!onshi::testing::run_process({"umockdev-wrapper", "true"}).succeeded()) {
    GTEST_SKIP() << "umockdev-wrapper is not installed (Debian package umockdev)";
  }
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  const onshi::testing::ProcessResult r = onshi::testing::run_process(
      {"umockdev-wrapper", self, "--gtest_filter=LibusbConfigurationUnderUmockdev.*"},
      {.timeout = 60s, .environment = umockdev_child_environment({{"ONSHI_UMOCKDEV_TESTBED", "1"}}), .merge_stderr = true});
  EXPECT_TRUE(r.succeeded()) << r.describe();
  EXPECT_NE(r.out.find("[  PASSED  ] 1 test"), std::string::npos) << r.describe();
}

}  // namespace
}  // namespace onshi::usb
