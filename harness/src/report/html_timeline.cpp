#include "onshi/report/html_timeline.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>

#include "onshi/report/text_escape.hpp"

namespace onshi::report {
namespace {

double ms(Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

std::string detail_of(const flow::StepResult& step, std::string_view key) {
  for (const auto& [k, v] : step.details) {
    if (k == key) return v;
  }
  return {};
}

void add(std::vector<TimelineEntry>& out, double at, double duration, const char* lane, std::string what,
         std::string status = {}) {
  out.push_back({at, duration, lane, std::move(what), std::move(status)});
}

// What a step tells about the card and the reader, at the step's end (when it was known).
void card_and_reader(std::vector<TimelineEntry>& out, const flow::StepResult& step, double end) {
  const auto has = [&](std::string_view key) { return !detail_of(step, key).empty(); };
  if (step.name == "card_detect") {
    if (has("reader")) add(out, end, 0, "reader", "card found in " + detail_of(step, "reader"));
    if (has("atr")) add(out, end, 0, "card", "powered on, ATR " + detail_of(step, "atr"));
  } else if (step.name == "read_certificate") {
    if (has("serial")) add(out, end, 0, "card", "user-authentication certificate, serial " + detail_of(step, "serial"));
  } else if (step.name == "identity_check") {
    if (has("face_score")) add(out, end, 0, "reader", "face compared, score " + detail_of(step, "face_score"));
    if (has("terminal_authentication")) {
      add(out, end, 0, "reader", "特定機関認証: card answered " + detail_of(step, "terminal_authentication"));
    }
    if (has("tries_left_before")) add(out, end, 0, "card", "PIN tries left before: " + detail_of(step, "tries_left_before"));
    if (has("pin_attempts")) add(out, end, 0, "card", "PIN entered " + detail_of(step, "pin_attempts") + " time(s)");
    if (has("signature_bytes")) {
      add(out, end, 0, "card", "signed the challenge (" + detail_of(step, "signature_bytes") + " bytes)");
    }
  } else if (step.name == "deliver_result") {
    if (has("file")) add(out, end, 0, "flow", "result file written: " + detail_of(step, "file"));
  }
}

std::string ons_text(const flow::OnsJournalEntry& entry) {
  std::string what = entry.kind == "request" ? entry.target : entry.kind;
  if (!entry.client_serial.empty()) what += ", PC certificate serial " + entry.client_serial;
  if (!entry.facility_code.empty()) what += ", facility " + entry.facility_code;
  if (!entry.patient_id.empty()) what += ", patient " + entry.patient_id;
  if (!entry.error_code.empty()) what += ", error " + entry.error_code;
  if (!entry.refusal.empty()) what += ", refused: " + entry.refusal;
  if (!entry.fault.empty()) what += ", fault " + entry.fault;
  for (const std::string& consent : entry.consents) what += ", " + consent;
  return what;
}

constexpr int lane_rank(std::string_view lane) {
  return lane == "card" ? 0 : lane == "reader" ? 1 : lane == "flow" ? 2 : 3;
}

std::string number(double v) {
  char out[32];
  std::snprintf(out, sizeof out, "%.3f", v);
  return out;
}

}  // namespace

std::vector<TimelineEntry> reception_timeline(const flow::RunRecord& record) {
  std::vector<TimelineEntry> out;
  double at = 0;
  for (const flow::StepResult& step : record.steps) {
    if (step.status == flow::StepStatus::skipped) {
      add(out, at, 0, "flow", step.name + " skipped" + (step.reason.empty() ? "" : ": " + step.reason), "skipped");
      continue;
    }
    const double took = ms(step.duration);
    add(out, at, took, "flow", step.name + (step.reason.empty() ? "" : ": " + step.reason),
        std::string(flow::to_string(step.status)));
    card_and_reader(out, step, at + took);
    at += took;
  }
  for (const flow::OnsJournalEntry& entry : record.ons_journal) {
    const double offset = ms(entry.received_at - record.started);
    add(out, std::max(0.0, offset), ms(entry.duration), "ons", ons_text(entry),
        entry.status == 0 ? std::string() : "status " + std::to_string(entry.status));
  }
  std::stable_sort(out.begin(), out.end(), [](const TimelineEntry& a, const TimelineEntry& b) {
    if (a.at_ms != b.at_ms) return a.at_ms < b.at_ms;
    return lane_rank(a.lane) < lane_rank(b.lane);
  });
  return out;
}

std::string timeline_html(const flow::RunRecord& record) {
  const std::vector<TimelineEntry> entries = reception_timeline(record);
  double span = 0;
  for (const TimelineEntry& e : entries) span = std::max(span, e.at_ms + e.duration_ms);
  if (span <= 0) span = 1;
  std::ostringstream out;
  out << "<section class=\"timeline\" id=\"timeline-" << escape_html(record.name) << "\">\n<h3>Timeline: "
      << escape_html(record.name) << "</h3>\n<table class=\"timeline\">\n"
      << "<tr><th>t ms</th><th>lane</th><th>what</th><th>status</th><th>when</th></tr>\n";
  for (const TimelineEntry& e : entries) {
    const double left = 100.0 * e.at_ms / span;
    const double width = std::max(0.5, 100.0 * e.duration_ms / span);
    out << "<tr class=\"lane-" << e.lane << "\"><td>" << number(e.at_ms) << "</td><td>" << e.lane << "</td><td>"
        << escape_html(e.what) << "</td><td class=\"" << escape_html(e.status.substr(0, e.status.find(' ')))
        << "\">" << escape_html(e.status) << "</td><td class=\"scale\"><div class=\"bar\" style=\"margin-left:"
        << number(std::min(left, 99.5)) << "%;width:" << number(std::min(width, 100.0 - std::min(left, 99.5)))
        << "%\"></div></td></tr>\n";
  }
  out << "</table>\n</section>\n";
  return out.str();
}

}  // namespace onshi::report
