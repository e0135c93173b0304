#pragma once
// A private pcscd with only vsmartcard's vpcd reader, for tests that need real PC/SC
// middleware. pcscd hard-codes /run/pcscd and vpcd listens on 127.0.0.1:35963, so each test
// re-runs itself in a private mount + network namespace (`unshare -m -n`) where it mounts a
// tmpfs on /run/pcscd and starts its own pcscd; the host's pcscd (if any) is never touched.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

extern char** environ;

namespace onshi::test {

inline const char* const pcscd_path = "/usr/sbin/pcscd";
inline const char* const vpcd_driver = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so";
inline const char* const inner_marker = "ONSHI_PCSCD_INNER";

inline std::string run_command(const std::string& command, int& status) {
  std::string out;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 512> buffer{};
  while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe) != nullptr) out += buffer.data();
  status = ::pclose(pipe);
  return out;
}

inline void run_command_checked(const std::string& command) {
  int status = -1;
  const std::string out = run_command(command, status);
  ASSERT_EQ(status, 0) << command << ": " << out;
}

inline bool inside_private_namespace() { return std::getenv(inner_marker) != nullptr; }

// Outside: the reason the test cannot run here, or "" when it can.
inline std::string pcscd_unavailable_reason() {
  if (!std::filesystem::exists(pcscd_path)) return "pcscd is not installed (Debian package pcscd)";
  if (!std::filesystem::exists(vpcd_driver)) return "ifd-vpcd is not installed (Debian package vsmartcard-vpcd)";
  int status = -1;
  const std::string probe = run_command("unshare -m -n true", status);
  if (status != 0) return "cannot create a private mount+network namespace (unshare -m -n): " + probe;
  return "";
}

// Outside: runs the current test again inside a fresh namespace and expects it to pass there.
inline void rerun_current_test_in_private_namespace() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string filter = std::string(info->test_suite_name()) + "." + info->name();
  std::filesystem::create_directories("/run/pcscd");  // the mount point; pcscd's own runtime dir
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  int status = -1;
  // `timeout` bounds a hang inside (a test that never returns) below ctest's own limit.
  const std::string out = run_command(std::string(inner_marker) + "=1 timeout 80 unshare -m -n -- " + self +
                                          " --gtest_filter=" + filter,
                                      status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("[  PASSED  ] 1 test"), std::string::npos) << out;
}

// Inside: our own pcscd with only the vpcd reader ("Virtual PCD", slot 0 on port 35963).
class PrivatePcscd {
 public:
  PrivatePcscd() {
    int status = -1;
    const std::string out = run_command("mount -t tmpfs onshi-pcscd /run/pcscd && ip link set lo up", status);
    if (status != 0) {
      ADD_FAILURE() << "namespace setup failed: " << out;
      return;
    }
    conf_ = std::filesystem::temp_directory_path() / ("onshi-pcscd-" + std::to_string(::getpid()));
    std::filesystem::create_directories(conf_);
    std::ofstream(conf_ / "vpcd") << "FRIENDLYNAME \"Virtual PCD\"\nDEVICENAME /dev/null:0x8C7B\nLIBPATH "
                                  << vpcd_driver << "\nCHANNELID 0x8C7B\n";
    const std::string conf_dir = conf_.string();
    char* argv[] = {const_cast<char*>(pcscd_path), const_cast<char*>("-f"), const_cast<char*>("-c"),
                    const_cast<char*>(conf_dir.c_str()), nullptr};
    if (::posix_spawn(&pid_, pcscd_path, nullptr, nullptr, argv, environ) != 0) {
      ADD_FAILURE() << "cannot start " << pcscd_path;
      pid_ = 0;
      return;
    }
    // Ready once its socket is there (bounded: 10 s).
    for (int i = 0; i < 100 && !std::filesystem::exists("/run/pcscd/pcscd.comm"); ++i) ::usleep(100000);
    if (!std::filesystem::exists("/run/pcscd/pcscd.comm")) ADD_FAILURE() << "pcscd did not create its socket";
  }
  ~PrivatePcscd() {
    kill(SIGTERM);
    if (!conf_.empty()) std::filesystem::remove_all(conf_);
  }
  PrivatePcscd(const PrivatePcscd&) = delete;
  PrivatePcscd& operator=(const PrivatePcscd&) = delete;

  bool running() const { return pid_ != 0; }
  // Stops pcscd (the reader disappears with it) and reaps it.
  void kill(int signal) {
    if (pid_ == 0) return;
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = 0;
  }

 private:
  std::filesystem::path conf_;
  pid_t pid_ = 0;
};

}  // namespace onshi::test
