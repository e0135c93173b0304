#pragma once
// HdrHistogram's bucket layout, computed exactly as HdrHistogram does (docs/load.md,
// "Histograms"): values below 2 × 10^digits land in buckets of width one unit; above that,
// each bucket doubles the width of the one before, half of its sub-buckets overlapping the
// previous bucket's range. The counts array index of a value must be HdrHistogram's, or an
// encoded histogram decodes into the wrong values; this file is the one place it is computed.
#include <cstddef>
#include <cstdint>

namespace onshi::load {

class HdrLayout {
 public:
  // Throws Error(invalid_argument) unless 1 <= lowest, 2 × lowest <= highest and
  // 0 <= significant_digits <= 5 (HdrHistogram's limits).
  HdrLayout(std::int64_t lowest_discernible, std::int64_t highest_trackable, int significant_digits);

  std::int64_t lowest_discernible() const { return lowest_; }
  std::int64_t highest_trackable() const { return highest_; }
  int significant_digits() const { return digits_; }
  std::size_t counts_length() const { return counts_length_; }

  // The counts-array index holding `value` (0 <= value <= highest_trackable()).
  std::size_t index_of(std::int64_t value) const;
  // The lowest value counted at `index`.
  std::int64_t value_at(std::size_t index) const;
  // The range of values that share `value`'s slot: [lowest_equivalent, highest_equivalent].
  std::int64_t lowest_equivalent(std::int64_t value) const;
  std::int64_t highest_equivalent(std::int64_t value) const;
  std::int64_t equivalent_range(std::int64_t value) const;

  bool operator==(const HdrLayout& other) const {
    return lowest_ == other.lowest_ && highest_ == other.highest_ && digits_ == other.digits_;
  }

 private:
  int bucket_of(std::int64_t value) const;
  std::int64_t sub_bucket_of(std::int64_t value, int bucket) const;

  std::int64_t lowest_;
  std::int64_t highest_;
  int digits_;
  int unit_magnitude_ = 0;
  int sub_bucket_half_count_magnitude_ = 0;
  std::int64_t sub_bucket_count_ = 0;
  std::int64_t sub_bucket_half_count_ = 0;
  std::uint64_t sub_bucket_mask_ = 0;
  int leading_zero_count_base_ = 0;
  int bucket_count_ = 0;
  std::size_t counts_length_ = 0;
};

}  // namespace onshi::load
