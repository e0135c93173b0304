// The PC/SC backend's costs: one APDU round trip through libpcsclite -> pcscd -> ifd-vpcd ->
// our vpcd client and back, and whole receptions per second with a [reader] kind = "pcsc"
// rig that exports the card to vpcd. Needs its own pcscd, so (like the integration tests) it
// re-runs itself in a private mount + network namespace (`unshare -m -n`) with a tmpfs on
// /run/pcscd; exits 77 (ctest: skipped) when pcscd, ifd-vpcd or namespaces are missing.
#include <benchmark/benchmark.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "onshi/mocks/reader/vpcd_export.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/reader/pcsc_card_reader.hpp"
#include "onshi/rig/rig_config.hpp"
#include "onshi/rig/wired_rig.hpp"

extern char** environ;

namespace onshi {
namespace {

using namespace std::chrono_literals;

constexpr int exit_skipped = 77;
const char* const pcscd_path = "/usr/sbin/pcscd";
const char* const vpcd_driver = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so";
const char* const inner_marker = "ONSHI_PCSC_BENCH_INNER";

class EchoIcc final : public iso7816::Icc {
 public:
  Bytes power_on() override { return from_hex("3BE000FF8131FE4514"); }
  void power_off() override {}
  Bytes transmit(ByteView command) override {
    Bytes out(command.begin(), command.end());
    out.push_back(0x90);
    out.push_back(0x00);
    return out;
  }
};

void BM_ApduRoundTrip_Pcsc(benchmark::State& state) {
  mocks::reader::VpcdExport exported(std::make_shared<EchoIcc>(), {"127.0.0.1", mocks::reader::vpcd_default_port});
  reader::PcscCardReader reader({"Virtual PCD", reader::PcscProtocol::any});
  if (!reader.wait_for_card(10s)) {
    state.SkipWithError("vpcd never showed the card");
    return;
  }
  reader.connect();
  iso7816::CommandApdu read_binary;
  read_binary.ins = 0xB0;
  read_binary.le = 4;
  for (auto _ : state) benchmark::DoNotOptimize(reader.channel().transmit(read_binary));
  reader.disconnect();
  state.counters["apdus_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ApduRoundTrip_Pcsc)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_Reception_Pcsc(benchmark::State& state) {
  rig::WireOverrides overrides;
  overrides.pki_dir = rig::default_pki_dir();
  pki::ensure_test_pki(*overrides.pki_dir);
  overrides.output_dir = std::filesystem::temp_directory_path() / ("onshi-bench-pcsc-" + std::to_string(::getpid()));
  const auto wired = rig::WiredRig::wire(
      rig::parse_rig("name = \"bench-pcsc\"\n[facility]\ncode = \"1312345678\"\n[reader]\nkind = \"pcsc\"\n"
                     "name = \"Virtual PCD\"\nvpcd = \"127.0.0.1:35963\"\n[ons]\nkind = \"embedded-mock\"\n",
                     "bench-pcsc"),
      overrides);
  const flow::Scenario& scenario = wired->scenario("pin-ok");
  std::int64_t failures = 0;
  for (auto _ : state) {
    if (!wired->run(scenario).all_steps_passed()) ++failures;
  }
  if (failures > 0) state.SkipWithError("some receptions failed");
  state.counters["receptions_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  std::filesystem::remove_all(*overrides.output_dir);
}
BENCHMARK(BM_Reception_Pcsc)->UseRealTime()->Unit(benchmark::kMillisecond);

std::string skip_reason() {
  if (!std::filesystem::exists(pcscd_path)) return "pcscd is not installed (Debian package pcscd)";
  if (!std::filesystem::exists(vpcd_driver)) return "ifd-vpcd is not installed (Debian package vsmartcard-vpcd)";
  if (std::system("unshare -m -n true 2>/dev/null") != 0) return "cannot create a private mount+network namespace";
  return "";
}

// Inside the namespace: our pcscd with only the vpcd reader; returns its pid (0 on failure).
pid_t start_private_pcscd(const std::filesystem::path& conf) {
  if (std::system("mount -t tmpfs onshi-pcscd /run/pcscd && ip link set lo up") != 0) return 0;
  std::filesystem::create_directories(conf);
  std::ofstream(conf / "vpcd") << "FRIENDLYNAME \"Virtual PCD\"\nDEVICENAME /dev/null:0x8C7B\nLIBPATH " << vpcd_driver
                               << "\nCHANNELID 0x8C7B\n";
  const std::string conf_dir = conf.string();
  char* argv[] = {const_cast<char*>(pcscd_path), const_cast<char*>("-f"), const_cast<char*>("-c"),
                  const_cast<char*>(conf_dir.c_str()), nullptr};
  pid_t pid = 0;
  if (::posix_spawn(&pid, pcscd_path, nullptr, nullptr, argv, environ) != 0) return 0;
  for (int i = 0; i < 100 && !std::filesystem::exists("/run/pcscd/pcscd.comm"); ++i) std::this_thread::sleep_for(100ms);
  return pid;
}

}  // namespace
}  // namespace onshi

int main(int argc, char** argv) {
  if (std::getenv(onshi::inner_marker) == nullptr) {
    if (const std::string why = onshi::skip_reason(); !why.empty()) {
      std::cout << "skipped: " << why << std::endl;
      return onshi::exit_skipped;
    }
    std::filesystem::create_directories("/run/pcscd");
    ::setenv(onshi::inner_marker, "1", 1);
    std::vector<char*> args{const_cast<char*>("unshare"), const_cast<char*>("-m"), const_cast<char*>("-n"),
                            const_cast<char*>("--"), const_cast<char*>("/proc/self/exe")};
    const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    args.back() = const_cast<char*>(self.c_str());
    for (int i = 1; i < argc; ++i) args.push_back(argv[i]);
    args.push_back(nullptr);
    ::execvp("unshare", args.data());
    std::cerr << "cannot exec unshare" << std::endl;
    return 1;
  }
  const std::filesystem::path conf =
      std::filesystem::temp_directory_path() / ("onshi-pcsc-bench-" + std::to_string(::getpid()));
  const pid_t pcscd = onshi::start_private_pcscd(conf);
  if (pcscd == 0) {
    std::cerr << "could not start a private pcscd" << std::endl;
    return 1;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  ::kill(pcscd, SIGTERM);
  int status = 0;
  ::waitpid(pcscd, &status, 0);
  std::filesystem::remove_all(conf);
  return 0;
}
