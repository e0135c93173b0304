// The independent peer: Linux's own `usbip list -r` (Debian package usbip) lists the reader our
// USB/IP server exports. Attaching needs the vhci_hcd kernel module, which CI lacks; listing
// exercises OP_REQ_DEVLIST exactly as the kernel tools speak it.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "onshi/mocks/reader/emulated_ccid_reader.hpp"
#include "onshi/mocks/reader/usbip_server.hpp"
#include "onshi/testing/process.hpp"

namespace onshi::mocks::reader {
namespace {

TEST(UsbipTool, ListRemoteShowsTheEmulatedReader) {
  const std::string tool = ONSHI_USBIP_TOOL;
  if (tool.empty() || !std::filesystem::exists(tool)) {
    GTEST_SKIP() << "the usbip tool (Debian package usbip) is not installed";
  }
  auto device = std::make_shared<EmulatedCcidReader>();
  UsbipServer server(device);
  server.start();
  const onshi::testing::ProcessResult r = onshi::testing::run_process(
      {tool, "--tcp-port", std::to_string(server.port()), "list", "-r", "127.0.0.1"},
      {.timeout = std::chrono::seconds(20), .merge_stderr = true});
  server.stop();
  ASSERT_TRUE(r.succeeded()) << r.describe();
  const std::string& out = r.out;
  EXPECT_NE(out.find("1-1"), std::string::npos) << out;
  EXPECT_NE(out.find("08e6:4433"), std::string::npos) << out;
  // usbip prints the interface class it decoded from our record: 0b = Chip/SmartCard.
  EXPECT_NE(out.find("0b/00/00"), std::string::npos) << out;
}

}  // namespace
}  // namespace onshi::mocks::reader
