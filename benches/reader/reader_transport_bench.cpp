// Reader transports compared: one APDU round trip (a 4-byte READ BINARY through the CCID host
// driver and the emulated reader, or through vpcd's framing) and whole receptions per second
// with the rig's reader link on each transport. Real time: the work crosses threads and TCP.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "onshi/ccid/host_driver.hpp"
#include "onshi/mocks/reader/emulated_ccid_reader.hpp"
#include "onshi/mocks/reader/usbip_server.hpp"
#include "onshi/mocks/reader/vpcd_client.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/rig/rig_config.hpp"
#include "onshi/rig/wired_rig.hpp"
#include "onshi/testing/echo_icc.hpp"
#include "onshi/usb/in_process_transport.hpp"
#include "onshi/usb/usbip_transport.hpp"

namespace onshi {
namespace {

const Bytes read_binary = from_hex("00B0000004");

void round_trips(benchmark::State& state, ccid::HostDriver& driver) {
  driver.power_on();
  for (auto _ : state) benchmark::DoNotOptimize(driver.transmit_raw(read_binary));
  state.counters["apdus_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_ApduRoundTrip_InProcess(benchmark::State& state) {
  auto device = std::make_shared<mocks::reader::EmulatedCcidReader>();
  device->insert_card(std::make_shared<testing::EchoIcc>());
  usb::InProcessTransport transport(device);
  ccid::HostDriver driver(transport);
  round_trips(state, driver);
}
BENCHMARK(BM_ApduRoundTrip_InProcess)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_ApduRoundTrip_Usbip(benchmark::State& state) {
  auto device = std::make_shared<mocks::reader::EmulatedCcidReader>();
  device->insert_card(std::make_shared<testing::EchoIcc>());
  mocks::reader::UsbipServer server(device);
  server.start();
  {
    auto transport = usb::UsbipTransport::import({"127.0.0.1", server.port()}, "1-1");
    ccid::HostDriver driver(*transport);
    round_trips(state, driver);
  }
  server.stop();
}
BENCHMARK(BM_ApduRoundTrip_Usbip)->UseRealTime()->Unit(benchmark::kMicrosecond);

// vpcd's side played by this benchmark over loopback TCP (no pcscd): the cost of the vpcd
// framing and of our client, with TCP_NODELAY on both ends.
void BM_ApduRoundTrip_VpcdFraming(benchmark::State& state) {
  usb::TcpListener listener({"127.0.0.1", 0});
  std::atomic<bool> stop{false};
  mocks::reader::VpcdClient client(std::make_shared<testing::EchoIcc>(), {"127.0.0.1", listener.port()});
  std::thread card([&] { client.serve(stop, std::chrono::seconds(5)); });
  usb::TcpStream vpcd = listener.accept(std::chrono::seconds(5));
  Bytes frame;
  store_be16(frame, static_cast<std::uint16_t>(read_binary.size()));
  append(frame, read_binary);
  for (auto _ : state) {
    vpcd.write_all(frame);
    const std::uint16_t n = load_be16(vpcd.read_exact(2, std::chrono::seconds(5)), 0);
    benchmark::DoNotOptimize(vpcd.read_exact(n, std::chrono::seconds(5)));
  }
  stop = true;
  vpcd.close();
  card.join();
  state.counters["apdus_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ApduRoundTrip_VpcdFraming)->UseRealTime()->Unit(benchmark::kMicrosecond);

// Whole receptions (card_detect .. deliver_result, embedded mock ONS) per reader transport.
void BM_Reception(benchmark::State& state, const char* transport) {
  const std::filesystem::path pki = rig::default_pki_dir();
  pki::ensure_test_pki(pki);
  rig::WireOverrides overrides;
  overrides.pki_dir = pki;
  overrides.output_dir =
      std::filesystem::temp_directory_path() / ("onshi-bench-reader-" + std::string(transport) + "-" + std::to_string(::getpid()));
  const std::string text = std::string("name = \"bench-") + transport +
                           "\"\n[facility]\ncode = \"1312345678\"\n[reader]\nkind = \"emulated\"\ntransport = \"" +
                           transport + "\"\n[ons]\nkind = \"embedded-mock\"\n";
  const auto wired = rig::WiredRig::wire(rig::parse_rig(text, "bench"), overrides);
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
BENCHMARK_CAPTURE(BM_Reception, in_process, "in-process")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Reception, usbip, "usbip")->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace onshi
