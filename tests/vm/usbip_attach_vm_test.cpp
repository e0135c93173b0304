// A real Linux kernel on the other end of the USB/IP export (docs/vm-test.md). QEMU (TCG)
// boots this host's Debian kernel with an initramfs built now (make-initramfs.sh); the guest
// attaches `onshi-hil emulate reader`'s export with the usbip tool and vhci-hcd, reaching the
// host's 127.0.0.1 as 10.0.2.2 through QEMU's user network, then
//   (a) the kernel enumerates the reader, pcscd + libccid bind it and OpenSC's jpki driver
//       reads the card's certificates;
//   (b) `onshi-hil run` on a libusb rig runs a whole reception through usbfs against it, with
//       the embedded mock ONS inside the guest.
// The guest reports each step on its serial console as "ONSHI-VM: step NAME ok|fail DETAIL".
// Skipped, never passed, when QEMU, the kernel or a guest package is missing.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "onshi/testing/process.hpp"

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// The newest kernel in /boot whose modules include vhci-hcd.
std::optional<std::string> guest_kernel_version() {
  std::optional<std::string> best;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/boot", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("vmlinuz-", 0) != 0) continue;
    const std::string version = name.substr(8);
    if (!fs::exists("/lib/modules/" + version + "/kernel/drivers/usb/usbip/vhci-hcd.ko")) continue;
    if (!best || version > *best) best = version;
  }
  return best;
}

std::optional<std::string> in_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
  dirs += ":/usr/sbin:/sbin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const std::size_t end = std::min(dirs.find(':', start), dirs.size());
    const fs::path candidate = fs::path(dirs.substr(start, end - start)) / program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    start = end + 1;
  }
  return std::nullopt;
}

struct GuestStep {
  bool ok = false;
  std::string detail;
};

// "ONSHI-VM: step NAME ok|fail DETAIL" lines of the console, by step name.
std::map<std::string, GuestStep> guest_steps(const std::string& console) {
  std::map<std::string, GuestStep> steps;
  const std::regex line("ONSHI-VM: step ([a-z]+) (ok|fail) ?([^\r\n]*)");
  for (auto it = std::sregex_iterator(console.begin(), console.end(), line); it != std::sregex_iterator(); ++it) {
    steps[(*it)[1].str()] = {(*it)[2].str() == "ok", (*it)[3].str()};
  }
  return steps;
}

std::string tail(const std::string& text, std::size_t lines) {
  std::size_t at = text.size();
  for (std::size_t n = 0; n <= lines && at > 0; ++n) at = text.rfind('\n', at - 1);
  return at == std::string::npos ? text : text.substr(at + 1);
}

TEST(GuestKernel, AttachesTheExportedReaderAndReadsItThroughPcscdAndLibusb) {
  const auto started = std::chrono::steady_clock::now();
  const auto qemu = in_path("qemu-system-x86_64");
  if (!qemu) GTEST_SKIP() << "qemu-system-x86_64 is not installed (Debian package qemu-system-x86; scripts/setup.sh)";
  const auto kernel = guest_kernel_version();
  if (!kernel) {
    GTEST_SKIP() << "no /boot/vmlinuz-* with a vhci-hcd module in /lib/modules (Debian package linux-image-amd64; "
                    "scripts/setup.sh)";
  }
  const char* pki_env = std::getenv("ONSHI_TEST_PKI");
  ASSERT_NE(pki_env, nullptr) << "ONSHI_TEST_PKI is not set (the test_pki ctest fixture sets it)";
  const fs::path pki = pki_env;
  const fs::path vm_dir = ONSHI_VM_DIR;
  const fs::path source = ONSHI_SOURCE_DIR;
  const fs::path work = fs::temp_directory_path() / ("onshi-vm-" + std::to_string(::getpid()));
  fs::create_directories(work);
  const fs::path initramfs = work / "initramfs.cpio.gz";

  const onshi::testing::ProcessResult built = onshi::testing::run_process(
      {(vm_dir / "make-initramfs.sh").string(), initramfs.string(), *kernel, ONSHI_HIL_BINARY, pki.string(),
       (source / "fixtures").string(), (source / "rigs").string(), (vm_dir / "guest-init.sh").string(),
       (vm_dir / "guest-rig.toml").string()},
      {.timeout = 300s, .merge_stderr = true});
  if (built.exit_code == 77) {
    fs::remove_all(work);
    GTEST_SKIP() << built.out;
  }
  ASSERT_TRUE(built.succeeded()) << built.describe() << "\n" << built.out;
  std::cout << built.out;

  // The export, as a user starts it; the guest reaches its 127.0.0.1 port as 10.0.2.2.
  onshi::testing::ChildProcess reader({ONSHI_HIL_BINARY, "emulate", "reader", "--usbip", "127.0.0.1:0", "--patient",
                                       "P001", "--pki", pki.string()},
                                      work / "emulate-reader.log");
  std::vector<std::string> export_groups;
  ASSERT_TRUE(reader.wait_for_output(std::regex("usbip: +127\\.0\\.0\\.1:([0-9]+) busid ([0-9.-]+)"), 60s,
                                     &export_groups));
  const std::string port = export_groups[1];
  const std::string busid = export_groups[2];

  onshi::testing::ChildProcess guest(
      {*qemu, "-accel", "tcg", "-m", "768", "-smp", "1", "-kernel", "/boot/vmlinuz-" + *kernel, "-initrd",
       initramfs.string(), "-append",
       "console=ttyS0 panic=-1 quiet onshi_port=" + port + " onshi_busid=" + busid + " onshi_vidpid=08e6:4433",
       "-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot", "-netdev", "user,id=net0",
       "-device", "virtio-net-pci,netdev=net0"},
      work / "console.log");
  // Under TCG on a loaded 2-core machine a boot plus both checks took 20-60 s; the bound is
  // generous, and the guest reports each step as it ends, so a failure names where it stopped.
  const ::testing::AssertionResult done = guest.wait_for_output(std::regex("ONSHI-VM: done"), 420s);
  const std::string console = guest.output();
  const auto steps = guest_steps(console);
  EXPECT_TRUE(done) << "the guest did not finish; last console lines:\n" << tail(console, 40);
  if (done) {
    EXPECT_TRUE(guest.wait_for_exit(60s).has_value()) << "QEMU did not exit after the guest's reboot";
  }
  guest.stop();
  reader.stop();

  for (const char* name : {"modules", "network", "attach", "enumerate", "pcscd", "opensc", "certificates", "reception"}) {
    const auto step = steps.find(name);
    if (step == steps.end()) {
      ADD_FAILURE() << "the guest never reported step '" << name << "'; last console lines:\n" << tail(console, 40);
      break;
    }
    EXPECT_TRUE(step->second.ok) << "guest step '" << name << "' failed: " << step->second.detail
                                 << "\nlast console lines:\n" << tail(console, 40);
  }
  // (a) The kernel saw the identity the emulation poses as; pcscd named it; OpenSC's jpki
  // driver took the card and read P001's user-authentication certificate byte for byte.
  if (steps.count("enumerate") != 0) {
    EXPECT_NE(steps.at("enumerate").detail.find("08e6:4433"), std::string::npos) << steps.at("enumerate").detail;
    EXPECT_NE(steps.at("enumerate").detail.find("serial \"ONSHI-0001\""), std::string::npos);
    EXPECT_NE(steps.at("enumerate").detail.find("interface class 0b"), std::string::npos);
  }
  if (steps.count("pcscd") != 0) {
    EXPECT_NE(steps.at("pcscd").detail.find("(ONSHI-0001)"), std::string::npos);
  }
  if (steps.count("opensc") != 0) {
    EXPECT_NE(steps.at("opensc").detail.find("\"jpki\""), std::string::npos);
  }
  if (steps.count("certificates") != 0) {
    const onshi::testing::ProcessResult expected = onshi::testing::run_shell(
        "openssl x509 -in '" + (pki / "patients/P001/auth-cert.pem").string() + "' -outform der | sha256sum",
        {.timeout = 30s});
    ASSERT_TRUE(expected.succeeded()) << expected.describe();
    const std::string sha256 = expected.out.substr(0, 64);
    EXPECT_NE(steps.at("certificates").detail.find("sha256 " + sha256), std::string::npos)
        << "OpenSC read " << steps.at("certificates").detail << ", the PKI has " << sha256;
  }
  // (b) The reception's own table, printed by onshi-hil inside the guest.
  EXPECT_TRUE(std::regex_search(console, std::regex("total +passed"))) << tail(console, 40);
  EXPECT_TRUE(std::regex_search(reader.output(), std::regex("stopped after [1-9][0-9]* URBs"))) << reader.output();

  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "vm test wall time: " << seconds << " s (initramfs, boot, attach, pcscd/OpenSC, reception)\n";
  if (!HasFailure()) fs::remove_all(work);
}

}  // namespace
