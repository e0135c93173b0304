#include "onshi/terminal/reader_service.hpp"

#include <exception>

#include "onshi/core/iso8601.hpp"

namespace onshi::terminal {

ReaderService::ReaderService(reader::CardReader& reader, Reception reception, TerminalJournal& journal,
                             const Clock& clock)
    : reader_(reader), reception_(std::move(reception)), journal_(journal), clock_(clock) {}

void ReaderService::journal_reader_error(const std::string& reason) {
  if (reason == last_reader_error_) return;
  last_reader_error_ = reason;
  JournalEntry entry;
  entry.time = format_iso8601_utc(clock_.wall_now(), true);
  entry.event = "reader_error";
  entry.kind = "reception";
  entry.reason = "reader " + reader_.name() + ": " + reason;
  journal_.append(entry);
}

bool ReaderService::serve_ready() {
  bool present = false;
  try {
    present = reader_.card_present();
    last_reader_error_.clear();
  } catch (const std::exception& e) {
    journal_reader_error(e.what());
    return false;
  }
  if (!present) {
    awaiting_removal_ = false;
    return false;
  }
  if (awaiting_removal_) return false;

  awaiting_removal_ = true;  // one reception per placement, however it ends
  ++receptions_;
  const MonotonicTime started = clock_.monotonic_now();
  JournalEntry entry;
  entry.kind = "reception";
  try {
    const ReceptionOutcome outcome = reception_();
    entry.answer = outcome.face_file;
    entry.reason = outcome.failed_step.empty() ? "" : outcome.failed_step + ": " + outcome.reason;
    entry.event = outcome.face_file.empty() ? "reception_failed" : "reception";
    entry.identity = outcome.identity_method;
  } catch (const std::exception& e) {
    entry.event = "reception_failed";
    entry.reason = std::string("the reception could not run: ") + e.what();
  }
  entry.duration_ms = std::chrono::duration<double, std::milli>(clock_.monotonic_now() - started).count();
  entry.time = format_iso8601_utc(clock_.wall_now(), true);
  journal_.append(entry);
  return true;
}

}  // namespace onshi::terminal
