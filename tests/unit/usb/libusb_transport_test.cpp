// The libusb backend without hardware: selector parsing, error mapping, a clear not_found on a
// bus without the device, and — under umockdev, which fakes sysfs/udev for libusb — discovery of
// a device whose descriptors are the emulated reader's own bytes: VID:PID, the CCID interface,
// its class descriptor and endpoints, as the harness parses them from libusb. (Transfers under
// umockdev would need usbdevfs ioctl scripts; they are not covered here.)
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "onshi/ccid/class_descriptor.hpp"
#include "onshi/ccid/constants.hpp"
#include "onshi/core/error.hpp"
#include "onshi/mocks/reader/emulated_ccid_reader.hpp"
#include "onshi/ccid/host_driver.hpp"
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

bool umockdev_run_available() { return onshi::testing::run_process({"umockdev-run", "--version"}).succeeded(); }

TEST(LibusbSelector, ParsesVidPidAndSerial) {
  const LibusbSelector s = parse_libusb_selector("08E6:4433:ONSHI-0001");
  EXPECT_EQ(*s.vendor_id, 0x08E6);
  EXPECT_EQ(*s.product_id, 0x4433);
  EXPECT_EQ(s.serial, "ONSHI-0001");
  EXPECT_EQ(s.to_string(), "08e6:4433:ONSHI-0001");
  EXPECT_EQ(parse_libusb_selector("072f:b000").serial, "");
  EXPECT_THROW(parse_libusb_selector("08e6"), Error);
  EXPECT_THROW(parse_libusb_selector("08e6:44g3"), Error);
  EXPECT_THROW(parse_libusb_selector("108e6:4433"), Error);
}

TEST(LibusbErrors, MapToActionableErrors) {
  // libusb's codes: TIMEOUT -7, NO_DEVICE -4, BUSY -6, ACCESS -3, NOT_FOUND -5, PIPE -9.
  EXPECT_EQ(libusb_error(-7, "x").code(), ErrorCode::timeout);
  const Error gone = libusb_error(-4, "libusb:1-2");
  EXPECT_EQ(gone.code(), ErrorCode::device);
  EXPECT_NE(gone.message().find("vanished"), std::string::npos);
  EXPECT_NE(libusb_error(-6, "x").message().find("busy"), std::string::npos);
  EXPECT_NE(libusb_error(-3, "x").message().find("permission"), std::string::npos);
  EXPECT_EQ(libusb_error(-5, "x").code(), ErrorCode::not_found);
  EXPECT_NE(libusb_error(-9, "x").message().find("stalled"), std::string::npos);
}

TEST(LibusbOpen, AbsentDeviceIsNotFoundNamingTheSelector) {
  try {
    LibusbTransport::open(parse_libusb_selector("1209:0bad"));
    FAIL() << "a device 1209:0bad should not exist";
  } catch (const Error& e) {
    // not_found on a bus without it; device when this machine has no usbfs for libusb at all.
    EXPECT_TRUE(e.code() == ErrorCode::not_found || e.code() == ErrorCode::device) << e.what();
    if (e.code() == ErrorCode::not_found) {
      EXPECT_NE(e.message().find("1209:0bad"), std::string::npos) << e.what();
    }
  }
}

void check_discovered_reader() {
  const auto devices = libusb_list_devices(false);
  const LibusbDevice* found = nullptr;
  for (const auto& d : devices) {
    if (d.device.vendor_id == 0x08E6 && d.device.product_id == 0x4433) found = &d;
  }
  ASSERT_NE(found, nullptr) << "libusb saw " << devices.size() << " devices under umockdev";
  EXPECT_EQ(found->bus, 1);
  EXPECT_EQ(found->address, 2);
  const InterfaceDescriptor* ccid = found->configuration.find_interface_by_class(ccid::interface_class);
  ASSERT_NE(ccid, nullptr);
  const ccid::ClassDescriptor c = ccid::ClassDescriptor::parse(ccid->class_specific);
  EXPECT_EQ(c.exchange_level(), ccid::feature::exchange_short_apdu);
  EXPECT_EQ(c.max_ccid_message_length, 271u);
  EXPECT_TRUE(ccid->find_endpoint(TransferType::bulk, true).has_value());
  EXPECT_TRUE(ccid->find_endpoint(TransferType::bulk, false).has_value());
  EXPECT_EQ(ccid->find_endpoint(TransferType::interrupt, true)->address, 0x81);
}

TEST(LibusbUnderUmockdev, DiscoversTheEmulatedReadersDescriptors) {
  if (std::getenv("ONSHI_UMOCKDEV_INNER") != nullptr || std::getenv("ONSHI_UMOCKDEV_EXPECT") != nullptr) {
    check_discovered_reader();
    return;
  }
  if (!umockdev_run_available()) GTEST_SKIP() << "umockdev-run is not installed (Debian package umockdev)";
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("onshi-reader-" + std::to_string(::getpid()) + ".umockdev");
  std::ofstream(file) << umockdev_description(mocks::reader::EmulatedCcidReader{});
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  const onshi::testing::ProcessResult r = onshi::testing::run_process(
      {"umockdev-run", "-d", file.string(), "--", self, "--gtest_filter=LibusbUnderUmockdev.DiscoversTheEmulatedReadersDescriptors"},
      {.timeout = 60s, .environment = umockdev_child_environment({{"ONSHI_UMOCKDEV_INNER", "1"}}), .merge_stderr = true});
  std::filesystem::remove(file);
  EXPECT_TRUE(r.succeeded()) << r.describe();
  EXPECT_NE(r.out.find("[  PASSED  ] 1 test"), std::string::npos) << r.describe();
}

const Bytes select_jpki = from_hex("00A4040C0AD392F000260100000001");

// The session both sides run: the recording against the emulated reader, the replay through
// libusb under umockdev. Returns what the host saw.
std::string ccid_session(UsbTransport& transport) {
  ccid::HostDriver driver(transport);
  std::string seen = to_hex(driver.power_on()) + "_";
  seen += to_hex(driver.transmit_raw(select_jpki)) + "_";
  seen += std::to_string(static_cast<int>(driver.slot_status().icc));
  driver.power_off();
  return seen;
}

TEST(LibusbUnderUmockdev, ReplaysACcidSessionRecordedFromTheEmulatedReader) {
  if (const char* expected = std::getenv("ONSHI_UMOCKDEV_EXPECT"); expected != nullptr) {
    auto transport = LibusbTransport::open(parse_libusb_selector("08e6:4433"));
    EXPECT_EQ(ccid_session(*transport), expected);
    return;
  }
  if (!umockdev_run_available()) GTEST_SKIP() << "umockdev-run is not installed (Debian package umockdev)";
  auto device = std::make_shared<mocks::reader::EmulatedCcidReader>();
  device->insert_card(std::make_shared<onshi::testing::EchoIcc>());
  InProcessTransport in_process(device);
  test::RecordingTransport recorder(in_process);
  const std::string expected = ccid_session(recorder);
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("onshi-umockdev-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "reader.umockdev") << umockdev_description(*device);
  test::write_usbmon_pcap((dir / "reader.pcap").string(), recorder.transfers, 1, 2);
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  const onshi::testing::ProcessResult r = onshi::testing::run_process(
      {"umockdev-run", "-d", (dir / "reader.umockdev").string(), "-p",
       "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1=" + (dir / "reader.pcap").string(), "--", self,
       "--gtest_filter=LibusbUnderUmockdev.ReplaysACcidSessionRecordedFromTheEmulatedReader"},
      {.timeout = 60s, .environment = umockdev_child_environment({{"ONSHI_UMOCKDEV_EXPECT", expected}}), .merge_stderr = true});
  EXPECT_TRUE(r.succeeded()) << r.describe();
  EXPECT_NE(r.out.find("[  PASSED  ] 1 test"), std::string::npos) << r.describe();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace onshi::usb
