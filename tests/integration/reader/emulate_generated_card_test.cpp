// `onshi-hil emulate card --population FILE --patient <generated id>` read by pcsc-lite: a
// private pcscd with vsmartcard's vpcd driver (onshi/testing/private_pcscd.hpp) is the
// independent peer. The card it presents is that generated patient's: the user-authentication
// certificate in EF 000A is the one `onshi-hil pki --population` issued for the id, and the
// PIN the population gives the patient verifies. Skipped, with the reason, when pcscd,
// ifd-vpcd or namespaces are unavailable.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <regex>

#include "onshi/jpki/jpki_client.hpp"
#include "onshi/population/population.hpp"
#include "onshi/pki/test_pki.hpp"
#include "onshi/reader/pcsc_card_reader.hpp"
#include "onshi/testing/files.hpp"
#include "onshi/testing/private_pcscd.hpp"
#include "onshi/testing/process.hpp"

namespace onshi::reader {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

TEST(EmulateCardCli, AGeneratedPatientsCardIsReadThroughPcscd) {
  if (!onshi::testing::inside_private_namespace()) {
    if (const std::string why = onshi::testing::private_pcscd_unavailable_reason(); !why.empty()) GTEST_SKIP() << why;
    EXPECT_TRUE(onshi::testing::rerun_current_test_in_private_namespace(std::chrono::seconds(180)));
    return;
  }
  onshi::testing::PrivatePcscd pcscd;
  ASSERT_TRUE(pcscd.running()) << pcscd.failure();
  const auto shared = pki::test_pki_dir_from_environment();
  ASSERT_TRUE(shared.has_value()) << "ONSHI_TEST_PKI is not set (register the test with NEEDS_PKI)";
  const fs::path dir = fs::temp_directory_path() / ("onshi-emulate-generated-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy(*shared, dir / "pki", fs::copy_options::recursive);  // the card goes into a copy
  const std::string binary = ONSHI_HIL_BINARY;
  const std::string population_file = (dir / "population.toml").string();
  const onshi::testing::ProcessOptions slow{.timeout = 120s, .merge_stderr = true};
  auto made = onshi::testing::run_process(
      {binary, "population", "generate", "--seed", "3", "--count", "12", "--out", population_file}, slow);
  ASSERT_TRUE(made.succeeded()) << made.describe();
  made = onshi::testing::run_process({binary, "pki", "--out", (dir / "pki").string(), "--reuse", "--population",
                                      population_file, "--card-certs", "2"},
                                     slow);
  ASSERT_TRUE(made.succeeded()) << made.describe();
  const population::Population population = population::load_population(population_file);
  const population::Patient& patient = population.patients[1];  // not the default first one

  onshi::testing::ChildProcess child({binary, "emulate", "card", "--vpcd", "127.0.0.1:35963", "--pki",
                                      (dir / "pki").string(), "--population", population_file, "--patient", patient.id},
                                     dir / "emulate.log");
  ASSERT_TRUE(child.wait_for_output(std::regex("runs until"), 60s)) << child.output();
  EXPECT_NE(child.output().find("synthetic patient " + patient.id), std::string::npos) << child.output();

  {
    PcscCardReader reader({"Virtual PCD", PcscProtocol::any});
    ASSERT_TRUE(reader.wait_for_card(20s)) << child.output();
    EXPECT_FALSE(reader.connect().empty());
    jpki::JpkiClient card(reader.channel());
    card.select_jpki_ap();
    const crypto::Certificate presented = card.read_auth_certificate();
    const pki::TestPki issued = pki::load_test_pki(dir / "pki");
    EXPECT_EQ(presented.to_der(), issued.patient(patient.id).certificate.to_der());
    EXPECT_TRUE(card.verify_auth_pin(patient.auth_pin).verified());
    reader.disconnect();
  }
  EXPECT_EQ(child.stop(), 0) << child.output();  // SIGTERM: a clean stop
  std::error_code ignored;
  fs::remove_all(dir, ignored);
}

}  // namespace
}  // namespace onshi::reader
