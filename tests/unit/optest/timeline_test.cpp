// The report's per-reception timeline (docs/optest.md, "Evidence"): the card, reader, flow and
// ONS-journal lanes of one reception in time order, steps at the sum of the durations before
// them, journal entries at their own time from the reception's start; in the HTML, one
// section per reception, text escaped, and no PIN among what the card lane says.
#include <gtest/gtest.h>

#include "onshi/report/html_reporter.hpp"
#include "onshi/report/html_timeline.hpp"

namespace onshi::report {
namespace {

using namespace std::chrono_literals;

flow::StepResult step(std::string name, flow::StepStatus status, Duration took,
                      std::vector<std::pair<std::string, std::string>> details = {}) {
  flow::StepResult s;
  s.name = std::move(name);
  s.status = status;
  s.duration = took;
  s.details = std::move(details);
  return s;
}

flow::RunRecord pin_reception() {
  flow::RunRecord r;
  r.name = "reception.pin (pin-ok)";
  r.started = WallTime{} + 1000h;
  r.steps = {step("card_detect", flow::StepStatus::passed, 10ms, {{"reader", "emulated/in-process"}, {"atr", "3B E0"}}),
             step("read_certificate", flow::StepStatus::passed, 20ms, {{"serial", "0A1B"}}),
             step("identity_check", flow::StepStatus::passed, 30ms,
                  {{"tries_left_before", "3"}, {"pin_attempts", "1"}, {"signature_bytes", "256"}}),
             step("consent", flow::StepStatus::passed, 1ms),
             step("qualification_lookup", flow::StepStatus::passed, 15ms),
             step("deliver_result", flow::StepStatus::failed, 2ms, {{"file", "face/<x>.xml"}})};
  r.steps.back().reason = "cannot move result file";
  flow::OnsJournalEntry entry;
  entry.kind = "request";
  entry.target = "/onshi/v1/qualification/card";
  entry.received_at = r.started + 62ms;
  entry.duration = 12ms;
  entry.status = 200;
  entry.client_serial = "5A";
  entry.facility_code = "1312345678";
  entry.patient_id = "P001";
  entry.consents = {"PharmacistsInfo=consented"};
  r.ons_journal = {entry};
  return r;
}

TEST(ReceptionTimeline, LanesInTimeOrderWithStepsBackToBackAndTheJournalAtItsOwnTime) {
  const std::vector<TimelineEntry> t = reception_timeline(pin_reception());
  ASSERT_FALSE(t.empty());
  for (std::size_t i = 1; i < t.size(); ++i) EXPECT_LE(t[i - 1].at_ms, t[i].at_ms) << i;
  const auto find = [&](std::string_view lane, std::string_view text) -> const TimelineEntry* {
    for (const auto& e : t) {
      if (e.lane == lane && e.what.find(text) != std::string::npos) return &e;
    }
    return nullptr;
  };
  const TimelineEntry* identity = find("flow", "identity_check");
  ASSERT_NE(identity, nullptr);
  EXPECT_DOUBLE_EQ(identity->at_ms, 30.0);  // after card_detect (10) and read_certificate (20)
  EXPECT_DOUBLE_EQ(identity->duration_ms, 30.0);
  EXPECT_EQ(identity->status, "passed");
  const TimelineEntry* atr = find("card", "ATR 3B E0");
  ASSERT_NE(atr, nullptr);
  EXPECT_DOUBLE_EQ(atr->at_ms, 10.0);
  ASSERT_NE(find("reader", "emulated/in-process"), nullptr);
  ASSERT_NE(find("card", "PIN entered 1 time(s)"), nullptr);
  const TimelineEntry* ons = find("ons", "/onshi/v1/qualification/card");
  ASSERT_NE(ons, nullptr);
  EXPECT_DOUBLE_EQ(ons->at_ms, 62.0);
  EXPECT_EQ(ons->status, "status 200");
  EXPECT_NE(ons->what.find("PC certificate serial 5A"), std::string::npos) << ons->what;
  EXPECT_NE(ons->what.find("PharmacistsInfo=consented"), std::string::npos) << ons->what;
  const TimelineEntry* deliver = find("flow", "deliver_result");
  ASSERT_NE(deliver, nullptr);
  EXPECT_EQ(deliver->status, "failed");
  EXPECT_NE(deliver->what.find("cannot move result file"), std::string::npos);
}

TEST(ReceptionTimeline, TheReportHasOneEscapedSectionPerReception) {
  flow::RunRecord second = pin_reception();
  second.name = "reception.face <match>";
  const std::string html = to_html({}, "t", {pin_reception(), second});
  EXPECT_NE(html.find("<section class=\"timeline\" id=\"timeline-reception.pin (pin-ok)\">"), std::string::npos);
  EXPECT_NE(html.find("Timeline: reception.face &lt;match&gt;"), std::string::npos);
  EXPECT_NE(html.find("face/&lt;x&gt;.xml"), std::string::npos);
  EXPECT_NE(html.find("<tr class=\"lane-ons\">"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(to_html({}, "t").find("timeline"), std::string::npos) << "no receptions, no timeline section";
}

}  // namespace
}  // namespace onshi::report
