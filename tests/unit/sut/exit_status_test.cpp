#include "onshi/sut/exit_status.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <csignal>

namespace onshi::sut {
namespace {

// Wait statuses as the kernel encodes them (exit code in bits 8-15, signal in 0-6).
constexpr int exited_with(int code) { return code << 8; }

TEST(ExitStatus, AnExitNamesItsCode) {
  const ExitStatus s = ExitStatus::from_wait_status(exited_with(3));
  EXPECT_EQ(s.exit_code, 3);
  EXPECT_EQ(s.signal, 0);
  EXPECT_FALSE(s.clean());
  EXPECT_EQ(s.describe(), "exit code 3");
  EXPECT_TRUE(ExitStatus::from_wait_status(exited_with(0)).clean());
}

TEST(ExitStatus, ASignalNamesItsNumberAndName) {
  const ExitStatus s = ExitStatus::from_wait_status(SIGSEGV);
  EXPECT_EQ(s.signal, SIGSEGV);
  EXPECT_FALSE(s.clean());
  EXPECT_EQ(s.describe(), "signal 11 (SIGSEGV)");
  EXPECT_EQ(ExitStatus::from_wait_status(SIGKILL).describe(), "signal 9 (SIGKILL)");
}

}  // namespace
}  // namespace onshi::sut
