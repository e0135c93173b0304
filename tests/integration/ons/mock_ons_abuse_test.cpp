// Floods and slow peers (issue 14, item 4): the standalone mock ONS (a child process) under
// onshi-ons-abuse — 10,000 malformed requests over 100 connections, 1,000 slowloris
// connections, a handshake flood, TLS records of garbage and half-open connections, all at
// once — while a terminal sends valid inquiries the whole time. Nothing ends the mock, every
// valid inquiry is answered, every slow or half-open connection is closed by the mock's own
// timeouts (handshake and request read, 10 s each), and the mock exits cleanly afterwards.
// How fast the valid client is served meanwhile is the abuse bench's business
// (benches/ons/bench_ons_abuse.sh), not this test's: no wall-clock assertion here.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <regex>
#include <string>
#include <thread>

#include "mock_ons_child.hpp"
#include "onshi/core/clock.hpp"
#include "onshi/ons/ons_client.hpp"
#include "onshi/ons/search_inquiry.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/testing/process.hpp"

namespace onshi::testing {
namespace {

using namespace std::chrono_literals;
constexpr const char* kTerminal = "1312345678";  // the first synthetic facility (fixtures/population)

// The shipped insurance-card sample (fixtures/requests/search-P001.xml) as a message.
ons::QualificationSearchInquiry p001_search() {
  ons::QualificationSearchInquiry search;
  search.header = {format_jst_date(SystemClock::instance().wall_now()), kTerminal, std::string("ABUSE-P001")};
  search.insurer_number = "06132013";
  search.insured_card_symbol = "101";
  search.insured_identification_number = "2345";
  search.insured_branch_number = "00";
  search.birthdate = "19850412";
  return search;
}

// kind=.. attempted=.. answered=.. closed_by_server=.. errors=.. lines of onshi-ons-abuse.
std::map<std::string, std::map<std::string, std::uint64_t>> abuse_counts(const std::string& out) {
  std::map<std::string, std::map<std::string, std::uint64_t>> counts;
  const std::regex line(R"(kind=(\w+) attempted=(\d+) answered=(\d+) closed_by_server=(\d+) errors=(\d+))");
  for (std::sregex_iterator it(out.begin(), out.end(), line), end; it != end; ++it) {
    auto& c = counts[(*it)[1]];
    c["attempted"] = std::stoull((*it)[2]);
    c["answered"] = std::stoull((*it)[3]);
    c["closed_by_server"] = std::stoull((*it)[4]);
    c["errors"] = std::stoull((*it)[5]);
  }
  return counts;
}

TEST(MockOnsAbuse, FloodsAndSlowPeersNeitherEndTheMockNorStopValidInquiries) {
  const auto dir = pki::test_pki_dir_from_environment();
  ASSERT_TRUE(dir.has_value()) << "ONSHI_TEST_PKI is not set (register the test with NEEDS_PKI)";
  const pki::PkiPaths paths(*dir);
  MockOnsChild mock(ONSHI_ONS_MOCK, *dir);
  ASSERT_TRUE(mock.started()) << mock.output();

  const std::filesystem::path work = std::filesystem::temp_directory_path() / ("onshi-abuse-" + std::to_string(::getpid()));
  std::filesystem::create_directories(work);
  ChildProcess abuse({ONSHI_ONS_ABUSE, "--port", std::to_string(mock.port()), "--ca", paths.ons_ca_cert().string(),
                      "--cert", paths.terminal_cert(kTerminal).string(), "--key", paths.terminal_key(kTerminal).string(),
                      "--malformed", "10000", "--connections", "100", "--slowloris", "1000", "--handshakes", "300",
                      "--garbage", "300", "--half-open", "200", "--hold", "25",
                      // A garbage record is refused by a handshake worker, which runs at a higher nice value behind
                      // the flood's handshakes (each malformed request costs one: docs/hardening.md
                      // "Floods"); on a machine busy with other tests that queue drains slowly.
                      "--close-within", "60"},
                     work / "abuse.out", {}, work / "abuse.err");

  ons::OnsClientOptions o;
  o.http.tls.ca_file = paths.ons_ca_cert();
  o.http.tls.cert_file = paths.terminal_cert(kTerminal);
  o.http.tls.key_file = paths.terminal_key(kTerminal);
  o.http.timeout = std::chrono::milliseconds(60'000);  // served, however slowly a shared machine serves
  o.endpoint.port = mock.port();
  ons::OnsClient client(o);
  unsigned answered = 0;
  std::string failures;
  // A valid terminal asks for as long as the abuse lasts (bounded: the abuse ends by itself).
  const auto deadline = std::chrono::steady_clock::now() + 600s;
  while (abuse.running() && std::chrono::steady_clock::now() < deadline) {
    try {
      const ons::QualificationResult r = client.inquire(p001_search());
      if (r.body.processing_result_status == ons::ProcessingResultStatus::normal_end) {
        ++answered;
      } else {
        failures += "not a normal end\n";
      }
    } catch (const Error& e) {
      failures += std::string(e.what()) + "\n";
    }
    ASSERT_TRUE(mock.running()) << "the mock ended with status " << mock.exit_status() << " under abuse\n"
                                << mock.output();
  }
  const std::optional<int> abuse_status = abuse.wait_for_exit(60s);
  ASSERT_TRUE(abuse_status.has_value()) << "onshi-ons-abuse did not end within 600 s";
  ASSERT_EQ(*abuse_status, 0) << abuse.output() << abuse.errors();
  EXPECT_TRUE(failures.empty()) << "valid inquiries failed during the abuse:\n" << failures;
  EXPECT_GE(answered, 5u) << "the valid terminal was hardly served during the abuse";

  const auto counts = abuse_counts(abuse.output());
  ASSERT_EQ(counts.size(), 5u) << abuse.output();
  EXPECT_EQ(counts.at("malformed").at("attempted"), 10000u) << abuse.output();
  EXPECT_GE(counts.at("malformed").at("answered"), 9000u) << "most malformed requests get an error answer\n"
                                                         << abuse.output();
  EXPECT_EQ(counts.at("slowloris").at("attempted"), 1000u);
  EXPECT_EQ(counts.at("slowloris").at("errors"), 0u) << "the mock refused connections it should have held\n"
                                                     << abuse.output();
  EXPECT_EQ(counts.at("slowloris").at("closed_by_server"), 1000u)
      << "slow connections the mock did not time out within 25 s\n" << abuse.output();
  EXPECT_EQ(counts.at("half_open").at("closed_by_server"), counts.at("half_open").at("attempted")) << abuse.output();
  EXPECT_EQ(counts.at("handshakes").at("errors"), 0u) << abuse.output();
  EXPECT_EQ(counts.at("garbage").at("closed_by_server"), 300u) << abuse.output();

  // After it all: still answering, and a clean exit.
  EXPECT_EQ(ons::OnsClient(o).inquire(p001_search()).body.processing_result_status,
            ons::ProcessingResultStatus::normal_end);
  EXPECT_EQ(mock.terminate(), 0) << mock.output();
  std::error_code ignored;
  std::filesystem::remove_all(work, ignored);
}

}  // namespace
}  // namespace onshi::testing
