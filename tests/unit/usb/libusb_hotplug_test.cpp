// libusb hot-plug under umockdev's testbed API (libumockdev, in process, run under
// umockdev-wrapper for its LD_PRELOAD): the emulated reader's umockdev device is opened
// through LibusbTransport, then removed with a "remove" uevent as the kernel would send on
// unplug. The transport learns it from its hot-plug callback: attached() turns false and the
// next transfer fails at once with "vanished (hot-plug ...)", instead of on a timeout.
// Re-adding the device ("add" uevent) wakes reopen() through the arrival callback.
#include <gtest/gtest.h>
#include <umockdev.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "onshi/ccid/host_driver.hpp"
#include "onshi/core/error.hpp"
#include "onshi/usb/in_process_transport.hpp"
#include "onshi/testing/echo_icc.hpp"
#include "onshi/testing/process.hpp"
#include "onshi/usb/libusb_transport.hpp"
#include "umockdev_environment.hpp"
#include "umockdev_reader.hpp"
#include "usbmon_recording.hpp"

namespace onshi::usb {
namespace {

using namespace std::chrono_literals;

// The USB traffic of one GetSlotStatus, recorded against the emulated reader, so umockdev can
// answer the first transfer after open (the ioctls of open and claim are its own).
std::filesystem::path record_slot_status(const std::filesystem::path& dir) {
  auto device = std::make_shared<mocks::reader::EmulatedCcidReader>();
  device->insert_card(std::make_shared<onshi::testing::EchoIcc>());
  InProcessTransport in_process(device);
  test::RecordingTransport recorder(in_process);
  ccid::HostDriver driver(recorder);
  driver.slot_status();
  const auto pcap = dir / "slot-status.pcap";
  test::write_usbmon_pcap(pcap.string(), recorder.transfers, 1, 2);
  return pcap;
}

bool add_reader(UMockdevTestbed* testbed, const std::filesystem::path& pcap, std::string& why) {
  GError* error = nullptr;
  const std::string description = umockdev_description(mocks::reader::EmulatedCcidReader{});
  if (umockdev_testbed_add_from_string(testbed, description.c_str(), &error) == 0 ||
      umockdev_testbed_load_pcap(testbed, umockdev_reader_syspath, pcap.c_str(), &error) == 0) {
    why = error != nullptr ? error->message : "unknown umockdev error";
    if (error != nullptr) g_error_free(error);
    return false;
  }
  return true;
}

void hotplug_inside_testbed() {
  UMockdevTestbed* testbed = umockdev_testbed_new();
  ASSERT_NE(testbed, nullptr);
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("onshi-hotplug-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto pcap = record_slot_status(dir);
  std::string why;
  ASSERT_TRUE(add_reader(testbed, pcap, why)) << why;

  auto transport = LibusbTransport::open(parse_libusb_selector("08e6:4433"));
  ASSERT_TRUE(transport->hotplug()) << "libusb reports no hot-plug capability here";
  EXPECT_TRUE(transport->attached());
  {
    ccid::HostDriver driver(*transport);
    EXPECT_NE(driver.slot_status().icc, ccid::IccStatus::absent);  // the recording answers
  }

  // Unplug: the kernel's uevent, then the sysfs entry goes.
  umockdev_testbed_uevent(testbed, umockdev_reader_syspath, "remove");
  umockdev_testbed_remove_device(testbed, umockdev_reader_syspath);
  bool gone = false;
  for (int i = 0; i < 50 && !gone; ++i) {  // bounded: 5 s for libusb's event thread
    gone = !transport->attached();
    if (!gone) std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(gone) << "the hot-plug LEFT event never arrived";
  try {
    ccid::HostDriver driver(*transport);
    driver.slot_status();
    ADD_FAILURE() << "a transfer to a removed device did not throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::device) << e.what();
    EXPECT_NE(std::string(e.what()).find("vanished"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("08e6:4433"), std::string::npos) << e.what();
  }

  // Re-plug while reopen() waits on the arrival callback.
  std::thread replug([&] {
    std::this_thread::sleep_for(300ms);
    std::string replug_why;
    if (add_reader(testbed, pcap, replug_why)) umockdev_testbed_uevent(testbed, umockdev_reader_syspath, "add");
  });
  EXPECT_NO_THROW(transport->reopen(5s));
  replug.join();
  EXPECT_TRUE(transport->attached());

  transport.reset();
  g_object_unref(testbed);
  std::filesystem::remove_all(dir);
}

TEST(LibusbHotplugUnderUmockdev, ReaderRemovalIsReportedAndReplugReopens) {
  if (std::getenv("ONSHI_UMOCKDEV_TESTBED") != nullptr) {
    hotplug_inside_testbed();
    return;
  }
  if (!onshi::testing::run_process({"umockdev-wrapper", "true"}).succeeded()) {
    GTEST_SKIP() << "umockdev-wrapper is not installed (Debian package umockdev)";
  }
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  const onshi::testing::ProcessResult r =
      onshi::testing::run_process({"umockdev-wrapper", self, "--gtest_filter=LibusbHotplugUnderUmockdev.*"},
                                  {.timeout = 60s, .environment = umockdev_child_environment({{"ONSHI_UMOCKDEV_TESTBED", "1"}}), .merge_stderr = true});
  EXPECT_TRUE(r.succeeded()) << r.describe();
  EXPECT_NE(r.out.find("[  PASSED  ] 1 test"), std::string::npos) << r.describe();
}

}  // namespace
}  // namespace onshi::usb
