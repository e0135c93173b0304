// A vendor's terminal code against the mock ONS under a fault plan: the embedded mock is
// started by onshi::testing::MockOnsTest with the installed fixtures' maintenance window, and
// the journal wait reports what did arrive when the expected entry does not.
#include <gtest/gtest.h>

#include "onshi/config/data_paths.hpp"
#include "onshi/mocks/ons/fault_plan.hpp"
#include "onshi/ons/ons_client.hpp"
#include "onshi/ons/wire_profile.hpp"
#include "onshi/testing/mock_ons_fixture.hpp"

namespace vendor {
namespace {

using onshi::mocks::ons::MockLogEntry;

class MaintenanceWindowTest : public onshi::testing::MockOnsTest {
 protected:
  void customise(onshi::mocks::ons::OnsMockOptions& options) override {
    // fixtures/faults/maintenance.json as installed (share/onshi-hil/fixtures).
    options.faults = onshi::mocks::ons::load_fault_plan(
        (onshi::config::fixtures_dir() / "faults" / "maintenance.json").string());
  }

  // What the vendor's terminal would do: one card inquiry with the facility's certificate.
  onshi::ons::OnsClient terminal_client() const {
    onshi::ons::OnsClientOptions options;
    options.http = client_options();
    options.endpoint = {"127.0.0.1", port()};
    return onshi::ons::OnsClient(options);
  }
};

TEST_F(MaintenanceWindowTest, TheTerminalIsToldTheServiceIsDownAndTheJournalSaysWhy) {
  onshi::ons::OnsClient client = terminal_client();
  try {
    client.inquire(card_inquiry("P001"));
    FAIL() << "the inquiry was answered during the maintenance window";
  } catch (const onshi::ons::OnsStatusError& refused) {
    EXPECT_EQ(refused.http_status(), 503u) << refused.what();
  }
  MockLogEntry entry;
  ASSERT_TRUE(wait_for_journal_entry([](const MockLogEntry& e) { return e.fault == "maintenance"; },
                                     "a card inquiry answered with the maintenance fault", &entry));
  EXPECT_EQ(entry.target, onshi::ons::kCardInquiryPath);
  EXPECT_EQ(entry.status, 503u);
  EXPECT_EQ(entry.facility_code, onshi::testing::kTestFacility);
}

}  // namespace
}  // namespace vendor
