#include "onshi/mocks/ons/journal.hpp"

#include <array>
#include <deque>
#include <string_view>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "onshi/core/error.hpp"
#include "onshi/core/iso8601.hpp"

namespace onshi::mocks::ons {

namespace {

// Strings shared by reference count: a journal of 100,000 requests from a handful of
// terminals holds each certificate subject, fingerprint, path and consent list once.
// Id 0 is the empty string.
class StringPool {
 public:
  std::uint32_t acquire(const std::string& text) {
    if (text.empty()) return 0;
    if (const auto it = index_.find(text); it != index_.end()) {
      ++slots_[it->second].refs;
      return it->second;
    }
    std::uint32_t id = 0;
    if (!free_.empty()) {
      id = free_.back();
      free_.pop_back();
    } else {
      id = static_cast<std::uint32_t>(slots_.size());
      slots_.emplace_back();
    }
    slots_[id] = {text, 1};
    index_.emplace(std::string_view(slots_[id].text), id);  // deque slots never move
    return id;
  }

  void release(std::uint32_t id) {
    if (id == 0 || --slots_[id].refs > 0) return;
    index_.erase(std::string_view(slots_[id].text));
    slots_[id].text = std::string();
    free_.push_back(id);
  }

  const std::string& text(std::uint32_t id) const { return slots_[id].text; }

 private:
  struct Slot {
    std::string text;
    std::uint32_t refs = 0;
  };
  std::deque<Slot> slots_{Slot{}};  // slot 0: the empty string
  std::vector<std::uint32_t> free_;
  std::unordered_map<std::string_view, std::uint32_t> index_;
};

// Every string field of MockLogEntry, in one place for pack() and unpack().
// (Scoped: the field names must not leak into the namespace the service's sources share.)
enum class TextField : std::size_t {
  remote, tls_version, client_signature, facility_code, method, target, error_code, user_certificate_serial,
  patient_id, qualification_validity, note, client_subject, client_serial, client_fingerprint, refusal, fault,
  consents, count
};
constexpr std::size_t text_count = static_cast<std::size_t>(TextField::count);
constexpr std::size_t consents_field = static_cast<std::size_t>(TextField::consents);

// Guard: a field added to MockLogEntry must be added to pack()/unpack() too, or the journal
// would silently lose it. Update the size when you have.
static_assert(sizeof(void*) != 8 || sizeof(MockLogEntry) == 600,
              "MockLogEntry changed: journal.cpp must pack and unpack the new field");

constexpr char kConsentEnd = '\x1f';  // after each consent decision (ASCII unit separator)

}  // namespace

struct Journal::Store {
  struct Packed {
    std::uint64_t sequence;
    WallTime received_at;
    std::chrono::microseconds duration;
    std::chrono::microseconds handshake_duration;
    std::size_t request_bytes;
    std::size_t response_bytes;
    unsigned status;
    MockLogEntry::Kind kind;
    std::array<std::uint32_t, text_count> text;
  };

  void push(const MockLogEntry& e) {
    std::string joined;
    for (const auto& c : e.consents) (joined += c) += kConsentEnd;
    Packed p{e.sequence, e.received_at, e.duration, e.handshake_duration, e.request_bytes, e.response_bytes,
             e.status, e.kind, {}};
    const std::string* fields[text_count] = {
        &e.remote, &e.tls_version, &e.client_signature, &e.facility_code, &e.method, &e.target,
        &e.error_code, &e.user_certificate_serial, &e.patient_id, &e.qualification_validity, &e.note,
        &e.client_subject, &e.client_serial, &e.client_fingerprint, &e.refusal, &e.fault, &joined};
    for (std::size_t i = 0; i < text_count; ++i) p.text[i] = pool.acquire(*fields[i]);
    entries.push_back(p);
  }

  void pop_front() {
    for (const std::uint32_t id : entries.front().text) pool.release(id);
    entries.pop_front();
  }

  void clear() {
    while (!entries.empty()) pop_front();
  }

  MockLogEntry unpack(const Packed& p) const {
    MockLogEntry e;
    e.sequence = p.sequence;
    e.received_at = p.received_at;
    e.duration = p.duration;
    e.handshake_duration = p.handshake_duration;
    e.request_bytes = p.request_bytes;
    e.response_bytes = p.response_bytes;
    e.status = p.status;
    e.kind = p.kind;
    std::string* fields[text_count] = {
        &e.remote, &e.tls_version, &e.client_signature, &e.facility_code, &e.method, &e.target,
        &e.error_code, &e.user_certificate_serial, &e.patient_id, &e.qualification_validity, &e.note,
        &e.client_subject, &e.client_serial, &e.client_fingerprint, &e.refusal, &e.fault, nullptr};
    for (std::size_t i = 0; i < consents_field; ++i) *fields[i] = pool.text(p.text[i]);
    const std::string& joined = pool.text(p.text[consents_field]);
    for (std::size_t from = 0; from < joined.size();) {
      const std::size_t end = joined.find(kConsentEnd, from);
      e.consents.push_back(joined.substr(from, end - from));
      from = end + 1;
    }
    return e;
  }

  StringPool pool;
  std::deque<Packed> entries;
};

Journal::Journal(std::size_t capacity, std::shared_ptr<RequestLogSink> forward)
    : capacity_(capacity), forward_(std::move(forward)), store_(std::make_unique<Store>()) {
  if (capacity_ == 0) throw Error(ErrorCode::invalid_argument, "journal capacity must be > 0", "mock ONS journal");
}

Journal::~Journal() = default;

void Journal::write(const MockLogEntry& entry) {
  MockLogEntry stamped = entry;
  record(stamped);
}

void Journal::record(MockLogEntry& entry) {
  {
    const std::lock_guard lock(mutex_);
    entry.sequence = next_sequence_++;
    store_->push(entry);
    while (store_->entries.size() > capacity_) {
      store_->pop_front();
      ++dropped_;
    }
  }
  arrived_.notify_all();
  if (forward_) forward_->write(entry);
}

std::vector<MockLogEntry> Journal::entries() const {
  const std::lock_guard lock(mutex_);
  std::vector<MockLogEntry> out;
  out.reserve(store_->entries.size());
  for (const auto& p : store_->entries) out.push_back(store_->unpack(p));
  return out;
}

std::vector<MockLogEntry> Journal::entries_after(std::uint64_t after) const {
  const std::lock_guard lock(mutex_);
  std::vector<MockLogEntry> out;
  for (const auto& p : store_->entries) {
    if (p.sequence > after) out.push_back(store_->unpack(p));
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
  auto scan = [&]() -> std::optional<MockLogEntry> {
    for (const auto& p : store_->entries) {
      if (p.sequence <= seen) continue;
      MockLogEntry e = store_->unpack(p);
      if (match(e)) return e;
    }
    return std::nullopt;
  };
  for (;;) {
    if (auto found = scan()) return found;
    seen = next_sequence_ - 1;
    if (arrived_.wait_until(lock, deadline) == std::cv_status::timeout) {
      // One last look: an entry may have landed between the wake-up and the deadline.
      return scan();
    }
  }
}

void Journal::clear() {
  const std::lock_guard lock(mutex_);
  store_->clear();
}

std::string journal_to_json(const std::vector<MockLogEntry>& entries) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : entries) {
    nlohmann::json j;
    j["sequence"] = e.sequence;
    j["kind"] = e.kind == MockLogEntry::Kind::request ? "request" : "handshake_failure";
    j["received_at"] = format_iso8601_utc(e.received_at, true);
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
  // Method, target and notes are the peer's bytes: invalid UTF-8 becomes U+FFFD rather than
  // an exception that would take the admin API (or the exit-time journal file) down.
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace onshi::mocks::ons
