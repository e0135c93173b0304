// The PC/SC backend's costs: one APDU round trip through libpcsclite -> pcscd -> ifd-vpcd ->
// our vpcd client and back, and whole receptions per second with a [reader] kind = "vpcd"
// rig that exports the card to vpcd. Needs its own pcscd, so (like the integration tests) it
// re-runs itself in a private mount + network namespace (`unshare -m -n`) with a tmpfs on
// /run/pcscd; exits 77 (ctest: skipped) when pcscd, ifd-vpcd or namespaces are missing.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "onshi/bench/run_benchmarks.hpp"
#include "onshi/mocks/reader/vpcd_export.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/reader/pcsc_card_reader.hpp"
#include "onshi/rig/rig_config.hpp"
#include "onshi/rig/wired_rig.hpp"
#include "onshi/testing/echo_icc.hpp"
#include "onshi/testing/private_pcscd.hpp"

namespace onshi {
namespace {

using namespace std::chrono_literals;

constexpr int exit_skipped = 77;

void BM_ApduRoundTrip_Pcsc(benchmark::State& state) {
  mocks::reader::VpcdExport exported(std::make_shared<testing::EchoIcc>(), {"127.0.0.1", mocks::reader::vpcd_default_port});
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
      rig::parse_rig("name = \"bench-pcsc\"\n[facility]\ncode = \"1312345678\"\n[reader]\nkind = \"vpcd\"\n"
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

}  // namespace
}  // namespace onshi

int main(int argc, char** argv) {
  namespace t = onshi::testing;
  if (!t::inside_private_namespace()) {
    if (const std::string why = t::private_pcscd_unavailable_reason(); !why.empty()) {
      std::cout << "skipped: " << why << std::endl;
      return onshi::exit_skipped;
    }
    // The same binary with the same arguments, inside its own mount + network namespace.
    return t::rerun_self_in_private_namespace(std::vector<std::string>(argv + 1, argv + argc), std::chrono::seconds(280));
  }
  const t::PrivatePcscd pcscd;
  if (!pcscd.running()) {
    std::cerr << "could not start a private pcscd: " << pcscd.failure() << std::endl;
    return 1;
  }
  return onshi::bench::run_benchmarks(argc, argv);
}
