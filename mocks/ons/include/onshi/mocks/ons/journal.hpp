#pragma once
// The mock ONS's journal: every request and answer (and every refused handshake) with its
// timings, the terminal certificate's subject/serial/fingerprint, the refusal reason, the
// consent decisions and the faults applied. Bounded (oldest entries dropped first), thread-
// safe, and waitable: tests block until an entry they expect arrives, with a timeout.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "onshi/mocks/ons/request_log.hpp"

namespace onshi::mocks::ons {

class Journal final : public RequestLogSink {
 public:
  explicit Journal(std::size_t capacity = 100'000, std::shared_ptr<RequestLogSink> forward = nullptr);

  // Stamps the sequence number, keeps the entry, forwards it, wakes waiters.
  void write(const MockLogEntry& entry) override;
  // As write(), but stamps `entry` itself and forwards it as is: no copy on the hot path.
  void record(MockLogEntry& entry);

  std::vector<MockLogEntry> entries() const;
  // Entries with sequence > `after`, oldest first.
  std::vector<MockLogEntry> entries_after(std::uint64_t after) const;
  std::uint64_t last_sequence() const;
  std::uint64_t dropped() const;  // entries evicted by the capacity bound

  // The first journaled entry (already present or arriving within `timeout`) with sequence >
  // `after` that satisfies `match`; nullopt when the timeout runs out first.
  std::optional<MockLogEntry> wait_for(const std::function<bool(const MockLogEntry&)>& match,
                                       std::chrono::milliseconds timeout, std::uint64_t after = 0) const;

  void clear();

 private:
  // Entries are kept packed (journal.cpp): their strings interned and shared, since most of
  // them (the terminal's certificate, the path, consents) repeat from request to request.
  struct Store;

  std::size_t capacity_;
  std::shared_ptr<RequestLogSink> forward_;
  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  std::unique_ptr<Store> store_;
  std::uint64_t next_sequence_ = 1;
  std::uint64_t dropped_ = 0;

 public:
  ~Journal() override;
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;
};

// {"sequence":..,"kind":"request"|"handshake_failure","received_at":"2025-..Z",...}; one
// object per entry, for the admin API and run records.
std::string journal_to_json(const std::vector<MockLogEntry>& entries);

}  // namespace onshi::mocks::ons
