#include "onshi/testing/private_pcscd.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "onshi/testing/process.hpp"

namespace onshi::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kInnerMarker = "ONSHI_PRIVATE_PCSCD_INNER";
const std::filesystem::path kPcscdSocket = "/run/pcscd/pcscd.comm";

std::string self_path() { return std::filesystem::read_symlink("/proc/self/exe").string(); }

std::vector<std::string> unshare_argv(const std::vector<std::string>& args, std::chrono::seconds timeout) {
  // `timeout` bounds a hang inside below ctest's own limit; -k: SIGKILL 5 s after SIGTERM.
  std::vector<std::string> argv = {"timeout", "-k", "5", std::to_string(timeout.count()), "unshare", "-m", "-n", "--",
                                   self_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

}  // namespace

bool inside_private_namespace() { return std::getenv(kInnerMarker) != nullptr; }

std::string private_pcscd_unavailable_reason() {
  if (!std::filesystem::exists(kPcscdPath)) return "pcscd is not installed (Debian package pcscd)";
  if (!std::filesystem::exists(kVpcdDriverPath)) return "ifd-vpcd is not installed (Debian package vsmartcard-vpcd)";
  const ProcessResult probe = run_process({"unshare", "-m", "-n", "true"}, {.merge_stderr = true});
  if (!probe.succeeded()) return "cannot create a private mount+network namespace (unshare -m -n): " + probe.out;
  return "";
}

int rerun_self_in_private_namespace(const std::vector<std::string>& args, std::chrono::seconds timeout) {
  std::filesystem::create_directories("/run/pcscd");  // the mount point
  ProcessOptions options;
  options.timeout = timeout + 10s;  // `timeout` inside ends it first
  options.environment = {{kInnerMarker, "1"}};
  options.merge_stderr = true;
  const ProcessResult r = run_process(unshare_argv(args, timeout), options);
  std::fwrite(r.out.data(), 1, r.out.size(), stdout);
  std::fflush(stdout);
  return r.timed_out ? -1 : r.exit_code;
}

::testing::AssertionResult rerun_current_test_in_private_namespace(std::chrono::seconds timeout) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string filter = std::string(info->test_suite_name()) + "." + info->name();
  std::filesystem::create_directories("/run/pcscd");
  ProcessOptions options;
  options.timeout = timeout + 10s;
  options.environment = {{kInnerMarker, "1"}};
  options.merge_stderr = true;
  const ProcessResult r = run_process(unshare_argv({"--gtest_filter=" + filter}, timeout), options);
  if (r.succeeded() && r.out.find("[  PASSED  ] 1 test") != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "inside the private namespace " << filter
                                       << (r.exit_code == 124 ? " timed out" : " failed") << ": " << r.describe();
}

struct PrivatePcscd::Impl {
  std::filesystem::path conf;
  std::unique_ptr<ChildProcess> pcscd;
  ~Impl() {
    pcscd.reset();  // stops it
    std::error_code ignored;
    if (!conf.empty()) std::filesystem::remove_all(conf, ignored);
  }
};

PrivatePcscd::PrivatePcscd() : impl_(std::make_unique<Impl>()) {
  if (!inside_private_namespace()) {
    failure_ = "PrivatePcscd outside the private namespace would touch the host's /run/pcscd";
    return;
  }
  const ProcessResult setup = run_shell("mount -t tmpfs onshi-pcscd /run/pcscd && ip link set lo up", {.merge_stderr = true});
  if (!setup.succeeded()) {
    failure_ = "namespace setup failed: " + setup.describe();
    return;
  }
  impl_->conf = std::filesystem::temp_directory_path() / ("onshi-pcscd-" + std::to_string(::getpid()));
  std::filesystem::create_directories(impl_->conf / "reader.conf.d");
  std::ofstream(impl_->conf / "reader.conf.d" / "vpcd") << "FRIENDLYNAME \"" << kVpcdReaderName
                                                        << "\"\nDEVICENAME /dev/null:0x8C7B\nLIBPATH " << kVpcdDriverPath
                                                        << "\nCHANNELID 0x8C7B\n";
  try {
    impl_->pcscd = std::make_unique<ChildProcess>(
        std::vector<std::string>{kPcscdPath, "-f", "-c", (impl_->conf / "reader.conf.d").string()},
        impl_->conf / "pcscd.log");
  } catch (const std::exception& e) {
    failure_ = std::string("cannot start ") + kPcscdPath + ": " + e.what();
    return;
  }
  // Ready once its socket is there (bounded: 10 s).
  for (int i = 0; i < 500 && !std::filesystem::exists(kPcscdSocket) && impl_->pcscd->running(); ++i) {
    std::this_thread::sleep_for(20ms);
  }
  if (!std::filesystem::exists(kPcscdSocket)) {
    failure_ = "pcscd did not create " + kPcscdSocket.string() + ": " + impl_->pcscd->output();
    impl_->pcscd.reset();
  }
}

PrivatePcscd::~PrivatePcscd() = default;

bool PrivatePcscd::running() const { return impl_->pcscd != nullptr && failure_.empty(); }

void PrivatePcscd::stop(int signal) {
  if (!impl_->pcscd) return;
  impl_->pcscd->send_signal(signal);
  impl_->pcscd->stop();
  impl_->pcscd.reset();
}

}  // namespace onshi::testing
