#pragma once
// A private pcscd for tests and benchmarks that need real PC/SC middleware: only vsmartcard's
// vpcd reader ("Virtual PCD", slot 0, 127.0.0.1:35963), never the host's pcscd. pcscd
// hard-codes /run/pcscd and vpcd a fixed port, so the test binary runs itself again inside a
// private mount + network namespace (`unshare -m -n`), mounts a tmpfs on /run/pcscd there and
// starts its own pcscd.
//
//   TEST(Pcsc, Something) {
//     if (!onshi::testing::inside_private_namespace()) {
//       if (auto why = onshi::testing::private_pcscd_unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
//       EXPECT_TRUE(onshi::testing::rerun_current_test_in_private_namespace());
//       return;
//     }
//     onshi::testing::PrivatePcscd pcscd;
//     ASSERT_TRUE(pcscd.running()) << pcscd.failure();
//     ... export a card with mocks::reader::VpcdExport, use PC/SC ...
//   }
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace onshi::testing {

inline constexpr const char* kPcscdPath = "/usr/sbin/pcscd";
inline constexpr const char* kVpcdDriverPath = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so";
inline constexpr const char* kVpcdReaderName = "Virtual PCD";

// True in the copy of the binary that runs inside the private namespace.
bool inside_private_namespace();
// Outside: why the private pcscd cannot run on this machine (pcscd or ifd-vpcd missing, no
// namespaces), or "" when it can.
std::string private_pcscd_unavailable_reason();

// Outside: runs this binary again with `args` inside a fresh namespace; the exit code 128 + N
// when signal N ended it, or -1 when `timeout` ran out (then it is killed). Output goes to
// this process's stdout/stderr.
int rerun_self_in_private_namespace(const std::vector<std::string>& args, std::chrono::seconds timeout);
// Outside, in a GoogleTest test: runs the current test alone inside a fresh namespace;
// succeeds when it passed there, else says what it printed.
::testing::AssertionResult rerun_current_test_in_private_namespace(std::chrono::seconds timeout =
                                                                       std::chrono::seconds(80));

// Inside: mounts the tmpfs, brings loopback up and starts pcscd with only the vpcd reader;
// ready once pcscd's socket exists. The destructor stops pcscd (SIGTERM, then SIGKILL).
class PrivatePcscd {
 public:
  PrivatePcscd();
  ~PrivatePcscd();
  PrivatePcscd(const PrivatePcscd&) = delete;
  PrivatePcscd& operator=(const PrivatePcscd&) = delete;

  bool running() const;
  const std::string& failure() const { return failure_; }  // why it is not running
  // Stops pcscd with `signal` first (the reader disappears with it) and reaps it.
  void stop(int signal);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string failure_;
};

}  // namespace onshi::testing
