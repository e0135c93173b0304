// Whole-chain figures on the default emulated rig: full receptions per second, and one
// qualification inquiry round trip over a kept-alive mTLS connection to the mock ONS.
// Real time throughout (the work is spread over the harness and server threads).
#include <benchmark/benchmark.h>

#include "onshi/crypto/certificate.hpp"
#include "onshi/crypto/private_key.hpp"
#include "onshi/population/population.hpp"
#include "onshi/mocks/ons/ons_mock_server.hpp"
#include "onshi/ons/ons_client.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/rig/rig_config.hpp"
#include "onshi/rig/wired_rig.hpp"
#include "onshi/testing/signed_card_inquiry.hpp"

namespace onshi {
namespace {

std::filesystem::path bench_pki_dir() {
  const std::filesystem::path dir = rig::default_pki_dir();  // $ONSHI_TEST_PKI under ctest
  pki::ensure_test_pki(dir);
  return dir;
}

std::filesystem::path scratch_dir(const char* name) {
  return std::filesystem::temp_directory_path() / (std::string("onshi-bench-") + name + "-" + std::to_string(::getpid()));
}

// card_detect .. deliver_result, every link emulated, the face file written each time.
void BM_EmulatedReception(benchmark::State& state) {
  rig::WireOverrides overrides;
  overrides.pki_dir = bench_pki_dir();
  overrides.output_dir = scratch_dir("reception");
  const auto wired = rig::WiredRig::wire(rig::load_rig(rig::default_rig_file()), overrides);
  const flow::Scenario& scenario = wired->scenario("pin-ok");
  std::int64_t failures = 0;
  for (auto _ : state) {
    const flow::RunRecord record = wired->run(scenario);
    if (!record.all_steps_passed()) ++failures;
  }
  if (failures > 0) state.SkipWithError("some receptions failed");
  state.SetItemsProcessed(state.iterations());
  state.counters["receptions_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  std::filesystem::remove_all(*overrides.output_dir);
}
BENCHMARK(BM_EmulatedReception)->UseRealTime()->Unit(benchmark::kMillisecond);

struct MockAndClient {
  explicit MockAndClient(const std::filesystem::path& dir)
      : paths(dir), server(mocks::ons::mock_options_from_pki(dir, population::load_population())) {
    server.start();
    ons::OnsClientOptions options;
    options.endpoint.host = "127.0.0.1";
    options.endpoint.port = server.port();
    options.http.tls.ca_file = paths.ons_ca_cert();
    options.http.tls.cert_file = paths.terminal_cert("1312345678");
    options.http.tls.key_file = paths.terminal_key("1312345678");
    options.http.tls.server_name = "127.0.0.1";
    client = std::make_unique<ons::OnsClient>(std::move(options));
  }
  pki::PkiPaths paths;
  mocks::ons::OnsMockServer server;
  std::unique_ptr<ons::OnsClient> client;
};

// The card path: each inquiry carries a fresh challenge the patient's key signed (signing is
// excluded from the timing: it is the card's work, measured in the reception above).
void BM_CardInquiryRoundTripKeepAlive(benchmark::State& state) {
  MockAndClient fixture(bench_pki_dir());
  const pki::Credential card{crypto::Certificate::load_pem_file(fixture.paths.patient_auth_cert("P001")),
                              crypto::PrivateKey::load_pem_file(fixture.paths.patient_auth_key("P001"))};
  ons::CardQualificationInquiry inquiry = testing::signed_card_inquiry(card);
  inquiry.consents.pharmacists_info = ons::ConsentFlag::consented;
  for (auto _ : state) {
    state.PauseTiming();
    testing::sign_again(inquiry, card);
    state.ResumeTiming();
    benchmark::DoNotOptimize(fixture.client->inquire(inquiry));
  }
  state.counters["handshakes"] = static_cast<double>(fixture.client->http().handshake_count());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CardInquiryRoundTripKeepAlive)->UseRealTime()->Unit(benchmark::kMicrosecond);

// The insurance-card path: no signature, so the figure is the mTLS round trip and the mock's work.
void BM_SearchInquiryRoundTripKeepAlive(benchmark::State& state) {
  MockAndClient fixture(bench_pki_dir());
  // Kept in a variable: a reference into load_population()'s temporary would dangle (ASan).
  const population::Population population = population::load_population();
  const population::Patient& p = population.patient("P001");
  ons::QualificationSearchInquiry inquiry;
  inquiry.header.qualification_confirmation_date = format_jst_date(std::chrono::system_clock::now());
  inquiry.header.medical_institution_code = "1312345678";
  inquiry.insurer_number = p.insurance.insurer_number;
  inquiry.insured_card_symbol = p.insurance.insured_card_symbol;
  inquiry.insured_identification_number = p.insurance.insured_identification_number;
  inquiry.insured_branch_number = p.insurance.insured_branch_number;
  inquiry.birthdate = p.birthdate;
  for (auto _ : state) benchmark::DoNotOptimize(fixture.client->inquire(inquiry));
  state.counters["handshakes"] = static_cast<double>(fixture.client->http().handshake_count());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SearchInquiryRoundTripKeepAlive)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace onshi
