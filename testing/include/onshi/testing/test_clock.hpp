#pragma once
// TestClock: an onshi::Clock that moves only when the test says so. Wall time starts where
// the test puts it (by default the real now, so the test PKI's certificates are valid) and
// monotonic time starts at an arbitrary fixed point; advance() moves both together. Safe to
// read from server threads while the test thread moves it.
//
//   onshi::testing::TestClock clock(certificate.not_before() + std::chrono::hours(36));
//   config.clock = &clock;
//   clock.advance(std::chrono::hours(25));   // consent has expired now
#include <chrono>
#include <mutex>

#include "onshi/core/clock.hpp"

namespace onshi::testing {

class TestClock final : public Clock {
 public:
  explicit TestClock(WallTime wall_start = std::chrono::system_clock::now()) : wall_(wall_start) {}

  MonotonicTime monotonic_now() const override {
    const std::lock_guard lock(mutex_);
    return monotonic_;
  }
  WallTime wall_now() const override {
    const std::lock_guard lock(mutex_);
    return wall_;
  }

  // Moves both clocks forward by `d`.
  void advance(Duration d) {
    const std::lock_guard lock(mutex_);
    monotonic_ += d;
    wall_ += std::chrono::duration_cast<WallTime::duration>(d);
  }
  // Sets the wall clock (a jump, as an NTP step would); monotonic time is not touched.
  void set_wall(WallTime t) {
    const std::lock_guard lock(mutex_);
    wall_ = t;
  }

 private:
  mutable std::mutex mutex_;
  MonotonicTime monotonic_{};
  WallTime wall_;
};

}  // namespace onshi::testing
