// The independent peer: Linux's own `usbip list -r` (Debian package usbip) lists the reader our
// USB/IP server exports. Attaching needs the vhci_hcd kernel module, which CI lacks; listing
// exercises OP_REQ_DEVLIST exactly as the kernel tools speak it.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include "onshi/mocks/reader/emulated_ccid_reader.hpp"
#include "onshi/mocks/reader/usbip_server.hpp"

namespace onshi::mocks::reader {
namespace {

std::string run(const std::string& command, int& status) {
  std::string out;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 512> buffer{};
  while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr) out += buffer.data();
  status = ::pclose(pipe);
  return out;
}

TEST(UsbipTool, ListRemoteShowsTheEmulatedReader) {
  const std::string tool = ONSHI_USBIP_TOOL;
  if (tool.empty() || !std::filesystem::exists(tool)) {
    GTEST_SKIP() << "the usbip tool (Debian package usbip) is not installed";
  }
  auto device = std::make_shared<EmulatedCcidReader>();
  UsbipServer server(device);
  server.start();
  int status = -1;
  const std::string out =
      run("timeout 20 " + tool + " --tcp-port " + std::to_string(server.port()) + " list -r 127.0.0.1", status);
  server.stop();
  ASSERT_EQ(status, 0) << out;
  EXPECT_NE(out.find("1-1"), std::string::npos) << out;
  EXPECT_NE(out.find("08e6:4433"), std::string::npos) << out;
  // usbip prints the interface class it decoded from our record: 0b = Chip/SmartCard.
  EXPECT_NE(out.find("0b/00/00"), std::string::npos) << out;
}

}  // namespace
}  // namespace onshi::mocks::reader
