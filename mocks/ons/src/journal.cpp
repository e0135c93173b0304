#include "onshi/mocks/ons/journal.hpp"

#include <cstdio>
#include <ctime>

#include <nlohmann/json.hpp>

#include "onshi/core/error.hpp"

namespace onshi::mocks::ons {

Journal::Journal(std::size_t capacity, std::shared_ptr<RequestLogSink> forward)
    : capacity_(capacity), forward_(std::move(forward)) {
  if (capacity_ == 0) throw Error(ErrorCode::invalid_argument, "journal capacity must be > 0", "mock ONS journal");
}

void Journal::write(const MockLogEntry& entry) {
  MockLogEntry stamped = entry;
  {
    const std::lock_guard lock(mutex_);
    stamped.sequence = next_sequence_++;
    entries_.push_back(stamped);
    while (entries_.size() > capacity_) {
      entries_.pop_front();
      ++dropped_;
    }
  }
  arrived_.notify_all();
  if (forward_) forward_->write(stamped);
}

std::vector<MockLogEntry> Journal::entries() const {
  const std::lock_guard lock(mutex_);
  return {entries_.begin(), entries_.end()};
}

std::vector<MockLogEntry> Journal::entries_after(std::uint64_t after) const {
  const std::lock_guard lock(mutex_);
  std::vector<MockLogEntry> out;
  for (const auto& e : entries_) {
    if (e.sequence > after) out.push_back(e);
  }
  return out;
}

std::uint64_t Journal::last_sequence() const {
  const std::lock_guard lock(mutex_);
  return next_sequence_ - 1;
}

std::uint64_t Journal::dropped() const {
  const std::lock_guard lock(mutex_);
  return dropped_;
}

std::optional<MockLogEntry> Journal::wait_for(const std::function<bool(const MockLogEntry&)>& match,
                                              std::chrono::milliseconds timeout, std::uint64_t after) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mutex_);
  std::uint64_t seen = after;
  for (;;) {
    for (const auto& e : entries_) {
      if (e.sequence <= seen) continue;
      if (match(e)) return e;
    }
    seen = next_sequence_ - 1;
    if (arrived_.wait_until(lock, deadline) == std::cv_status::timeout) {
      // One last look: an entry may have landed between the wake-up and the deadline.
      for (const auto& e : entries_) {
        if (e.sequence > seen && match(e)) return e;
      }
      return std::nullopt;
    }
  }
}

void Journal::clear() {
  const std::lock_guard lock(mutex_);
  entries_.clear();
}

namespace {

std::string iso_utc(WallTime t) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return buf;
}

}  // namespace

std::string journal_to_json(const std::vector<MockLogEntry>& entries) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : entries) {
    nlohmann::json j;
    j["sequence"] = e.sequence;
    j["kind"] = e.kind == MockLogEntry::Kind::request ? "request" : "handshake_failure";
    j["received_at"] = iso_utc(e.received_at);
    j["remote"] = e.remote;
    j["tls_version"] = e.tls_version;
    j["client_signature"] = e.client_signature;
    j["facility_code"] = e.facility_code;
    j["client_subject"] = e.client_subject;
    j["client_serial"] = e.client_serial;
    j["client_fingerprint"] = e.client_fingerprint;
    j["method"] = e.method;
    j["target"] = e.target;
    j["status"] = e.status;
    j["error_code"] = e.error_code;
    j["refusal"] = e.refusal;
    j["user_certificate_serial"] = e.user_certificate_serial;
    j["patient_id"] = e.patient_id;
    j["qualification_validity"] = e.qualification_validity;
    j["consents"] = e.consents;
    j["fault"] = e.fault;
    j["handshake_us"] = e.handshake_duration.count();
    j["duration_us"] = e.duration.count();
    j["request_bytes"] = e.request_bytes;
    j["response_bytes"] = e.response_bytes;
    j["note"] = e.note;
    out.push_back(std::move(j));
  }
  return out.dump();
}

}  // namespace onshi::mocks::ons
