// The journal: sequence numbers, bounded capacity, waiting for an entry with a timeout, JSON.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "onshi/mocks/ons/journal.hpp"

namespace onshi::testing {
namespace {

using namespace onshi::mocks::ons;

MockLogEntry entry(const std::string& patient) {
  MockLogEntry e;
  e.method = "POST";
  e.target = "/x";
  e.status = 200;
  e.patient_id = patient;
  e.consents = {"PharmacistsInfo=consented"};
  return e;
}

TEST(Journal, NumbersEntriesAndDropsTheOldestBeyondCapacity) {
  Journal j(3);
  for (const char* p : {"P1", "P2", "P3", "P4"}) j.write(entry(p));
  const auto all = j.entries();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all.front().patient_id, "P2");
  EXPECT_EQ(all.front().sequence, 2u);
  EXPECT_EQ(j.last_sequence(), 4u);
  EXPECT_EQ(j.dropped(), 1u);
  EXPECT_EQ(j.entries_after(3).size(), 1u);
}

TEST(Journal, ForwardsToAnotherSink) {
  auto memory = std::make_shared<MemoryLogSink>();
  Journal j(10, memory);
  j.write(entry("P1"));
  ASSERT_EQ(memory->entries().size(), 1u);
  EXPECT_EQ(memory->entries()[0].sequence, 1u);
}

TEST(Journal, WaitForReturnsAnEntryWrittenLaterByAnotherThread) {
  Journal j;
  j.write(entry("P1"));
  std::thread writer([&j] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    j.write(entry("P2"));
  });
  const auto found = j.wait_for([](const MockLogEntry& e) { return e.patient_id == "P2"; }, std::chrono::seconds(5));
  writer.join();
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->sequence, 2u);
}

TEST(Journal, WaitForTimesOutWhenNothingMatchesAndHonoursAfter) {
  Journal j;
  j.write(entry("P1"));
  EXPECT_FALSE(j.wait_for([](const MockLogEntry& e) { return e.patient_id == "P9"; }, std::chrono::milliseconds(30)));
  EXPECT_FALSE(j.wait_for([](const MockLogEntry& e) { return e.patient_id == "P1"; }, std::chrono::milliseconds(10), 1));
  EXPECT_TRUE(j.wait_for([](const MockLogEntry& e) { return e.patient_id == "P1"; }, std::chrono::milliseconds(10), 0));
}

TEST(Journal, JsonCarriesEveryField) {
  MockLogEntry e = entry("P1");
  e.client_serial = "0A1B";
  e.client_fingerprint = "AB:CD";
  e.refusal = "expired";
  e.fault = "throttle";
  const auto j = nlohmann::json::parse(journal_to_json({e}));
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["patient_id"], "P1");
  EXPECT_EQ(j[0]["client_serial"], "0A1B");
  EXPECT_EQ(j[0]["client_fingerprint"], "AB:CD");
  EXPECT_EQ(j[0]["refusal"], "expired");
  EXPECT_EQ(j[0]["fault"], "throttle");
  EXPECT_EQ(j[0]["consents"][0], "PharmacistsInfo=consented");
  EXPECT_EQ(j[0]["kind"], "request");
}

}  // namespace
}  // namespace onshi::testing
