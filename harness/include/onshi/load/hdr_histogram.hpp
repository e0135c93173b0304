#pragma once
// A latency histogram with HdrHistogram's precision and range (onshi/load/hdr_layout.hpp):
// the load tool's default is 1 µs to 1 hour at 3 significant digits. Recording is one index
// computation and an increment. Not thread-safe: each recorder owns its histograms.
// Percentiles, min and max are reported as HdrHistogram reports them (the highest value
// equivalent to the slot, the lowest for the minimum), so our figures match any HdrHistogram
// library reading the same counts.
#include <cstdint>
#include <vector>

#include "onshi/load/hdr_layout.hpp"

namespace onshi::load {

// 1 µs .. 1 hour in microseconds, 3 significant digits.
inline constexpr std::int64_t latency_lowest_us = 1;
inline constexpr std::int64_t latency_highest_us = 3'600'000'000;
inline constexpr int latency_significant_digits = 3;

class HdrHistogram {
 public:
  // The latency layout: 1 µs .. 1 hour, 3 digits.
  HdrHistogram();
  explicit HdrHistogram(HdrLayout layout);

  // A value above the highest trackable one is counted at the highest trackable value (a
  // latency over an hour is reported as an hour, not dropped); negative values count as 0.
  void record(std::int64_t value, std::int64_t count = 1);
  // Adds another histogram's counts; throws Error(invalid_argument) for a different layout.
  void add(const HdrHistogram& other);
  void reset();

  const HdrLayout& layout() const { return layout_; }
  std::int64_t total_count() const { return total_; }
  std::int64_t count_at_index(std::size_t index) const { return counts_[index]; }
  // Counts per index (HdrHistogram's counts array), for the encoder.
  const std::vector<std::int64_t>& counts() const { return counts_; }
  // Sets a count directly (the decoder); keeps total, min and max right.
  void set_count_at_index(std::size_t index, std::int64_t count);

  // 0 when empty.
  std::int64_t min() const;
  std::int64_t max() const;
  // The value at `percentile` (0..100), HdrHistogram's getValueAtPercentile; 0 when empty.
  std::int64_t value_at_percentile(double percentile) const;
  double mean() const;

 private:
  HdrLayout layout_;
  std::vector<std::int64_t> counts_;
  std::int64_t total_ = 0;
  std::int64_t max_seen_ = 0;        // raw largest recorded value
  std::int64_t min_nonzero_seen_ = 0;  // raw smallest recorded non-zero value, 0 when none
};

}  // namespace onshi::load
