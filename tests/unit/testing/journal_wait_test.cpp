// wait_for_journal_entry: on success the entry, on failure a message that names what was
// waited for and lists what did arrive (as Envoy's FakeUpstream waits do).
#include <gtest/gtest.h>

#include "onshi/mocks/ons/journal.hpp"
#include "onshi/testing/mock_ons_fixture.hpp"

namespace onshi::testing {
namespace {

using namespace std::chrono_literals;
using mocks::ons::MockLogEntry;

MockLogEntry request(unsigned status, std::string target) {
  MockLogEntry e;
  e.method = "POST";
  e.target = std::move(target);
  e.status = status;
  return e;
}

TEST(WaitForJournalEntry, ReturnsTheMatchingEntry) {
  mocks::ons::Journal journal;
  journal.write(request(403, "/onshi/v1/qualification/card"));
  journal.write(request(200, "/onshi/v1/qualification/search"));
  MockLogEntry found;
  ASSERT_TRUE(wait_for_journal_entry(journal, [](const MockLogEntry& e) { return e.status == 200; }, "answered 200",
                                     &found));
  EXPECT_EQ(found.target, "/onshi/v1/qualification/search");
  EXPECT_EQ(found.sequence, 2u);
  // `after` skips what came before.
  EXPECT_FALSE(wait_for_journal_entry(journal, [](const MockLogEntry& e) { return e.status == 403; }, "a 403", nullptr,
                                      10ms, 1));
}

TEST(WaitForJournalEntry, AFailureListsWhatArrived) {
  mocks::ons::Journal journal;
  journal.write(request(403, "/onshi/v1/qualification/card"));
  journal.write(request(415, "/onshi/v1/qualification/search"));
  const ::testing::AssertionResult r =
      wait_for_journal_entry(journal, [](const MockLogEntry& e) { return e.status == 200; }, "answered 200", nullptr, 20ms);
  ASSERT_FALSE(r);
  const std::string message = r.message();
  EXPECT_NE(message.find("no journal entry answered 200 within 20 ms; 2 arrived:"), std::string::npos) << message;
  EXPECT_NE(message.find("#1 "), std::string::npos) << message;
  EXPECT_NE(message.find("403"), std::string::npos) << message;
  EXPECT_NE(message.find("/onshi/v1/qualification/search"), std::string::npos) << message;
}

TEST(WaitForJournalEntry, AnEmptyJournalSaysSo) {
  mocks::ons::Journal journal;
  const ::testing::AssertionResult r =
      wait_for_journal_entry(journal, [](const MockLogEntry&) { return true; }, "of any kind", nullptr, 10ms);
  ASSERT_FALSE(r);
  EXPECT_EQ(std::string(r.message()), "no journal entry of any kind within 10 ms; 0 arrived");
}

}  // namespace
}  // namespace onshi::testing
