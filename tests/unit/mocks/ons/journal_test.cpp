// The journal: sequence numbers, bounded capacity, waiting for an entry with a timeout, JSON.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
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

namespace onshi::testing {
namespace {

using namespace onshi::mocks::ons;

// The journal keeps entries packed (interned strings); every field must come back as written.
TEST(Journal, KeepsEveryFieldOfAnEntryThroughItsPackedStore) {
  MockLogEntry e;
  e.kind = MockLogEntry::Kind::handshake_failure;
  e.remote = "127.0.0.1:50312";
  e.tls_version = "TLSv1.3";
  e.client_signature = "rsa_pss_rsae_sha256";
  e.facility_code = "1312345678";
  e.method = "POST";
  e.target = "/onshi/v1/qualification/search";
  e.status = 403;
  e.error_code = "HIL0403";
  e.user_certificate_serial = "0A";
  e.patient_id = "P1";
  e.qualification_validity = "1";
  e.duration = std::chrono::microseconds(1234);
  e.note = "a note";
  e.received_at = WallTime(std::chrono::milliseconds(1'700'000'000'123));
  e.handshake_duration = std::chrono::microseconds(567);
  e.client_subject = "CN=terminal,serialNumber=1312345678";
  e.client_serial = "0B";
  e.client_fingerprint = "AB:CD";
  e.refusal = "expired";
  e.consents = {"PharmacistsInfo=consented", "", "DiagnosisInfo=declined"};
  e.fault = "throttle";
  e.request_bytes = 10;
  e.response_bytes = 20;
  Journal j(2);
  j.write(e);
  j.write(e);
  j.write(MockLogEntry{});  // evicts the first; shared strings must survive for the second
  const auto all = j.entries();
  ASSERT_EQ(all.size(), 2u);
  const MockLogEntry& got = all[0];
  EXPECT_EQ(got.sequence, 2u);
  EXPECT_EQ(got.kind, e.kind);
  EXPECT_EQ(got.remote, e.remote);
  EXPECT_EQ(got.tls_version, e.tls_version);
  EXPECT_EQ(got.client_signature, e.client_signature);
  EXPECT_EQ(got.facility_code, e.facility_code);
  EXPECT_EQ(got.method, e.method);
  EXPECT_EQ(got.target, e.target);
  EXPECT_EQ(got.status, e.status);
  EXPECT_EQ(got.error_code, e.error_code);
  EXPECT_EQ(got.user_certificate_serial, e.user_certificate_serial);
  EXPECT_EQ(got.patient_id, e.patient_id);
  EXPECT_EQ(got.qualification_validity, e.qualification_validity);
  EXPECT_EQ(got.duration, e.duration);
  EXPECT_EQ(got.note, e.note);
  EXPECT_EQ(got.received_at, e.received_at);
  EXPECT_EQ(got.handshake_duration, e.handshake_duration);
  EXPECT_EQ(got.client_subject, e.client_subject);
  EXPECT_EQ(got.client_serial, e.client_serial);
  EXPECT_EQ(got.client_fingerprint, e.client_fingerprint);
  EXPECT_EQ(got.refusal, e.refusal);
  EXPECT_EQ(got.consents, e.consents);
  EXPECT_EQ(got.fault, e.fault);
  EXPECT_EQ(got.request_bytes, e.request_bytes);
  EXPECT_EQ(got.response_bytes, e.response_bytes);
  EXPECT_TRUE(all[1].consents.empty());
  EXPECT_TRUE(all[1].client_subject.empty());
}

TEST(StreamLogSink, WritesWholeLinesInOrderByFlushAndOnDestruction) {
  std::ostringstream out;
  MockLogEntry e;
  e.method = "POST";
  e.target = "/x";
  e.status = 200;
  {
    StreamLogSink sink(out, std::chrono::hours(1));  // only flush() and the destructor write
    e.patient_id = "P1";
    sink.write(e);
    sink.flush();
    EXPECT_EQ(out.str(), format_log_line(e) + "\n");
    e.patient_id = "P2";
    sink.write(e);
  }
  const std::string text = out.str();
  EXPECT_NE(text.find("patient=P1"), std::string::npos);
  EXPECT_LT(text.find("patient=P1"), text.find("patient=P2"));
  EXPECT_EQ(text.back(), '\n');
}

}  // namespace
}  // namespace onshi::testing
