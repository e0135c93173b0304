#include "onshi/load/hdr_layout.hpp"

#include <bit>
#include <cmath>
#include <limits>
#include <string>

#include "onshi/core/error.hpp"

namespace onshi::load {
namespace {

int floor_log2(std::uint64_t v) { return 63 - std::countl_zero(v); }

}  // namespace

HdrLayout::HdrLayout(std::int64_t lowest_discernible, std::int64_t highest_trackable, int significant_digits)
    : lowest_(lowest_discernible), highest_(highest_trackable), digits_(significant_digits) {
  if (lowest_ < 1) throw Error(ErrorCode::invalid_argument, "HDR histogram: lowest discernible value must be >= 1");
  if (highest_ < 2 * lowest_) {
    throw Error(ErrorCode::invalid_argument, "HDR histogram: highest trackable value must be >= 2 x lowest discernible");
  }
  if (digits_ < 0 || digits_ > 5) {
    throw Error(ErrorCode::invalid_argument, "HDR histogram: significant digits must be 0..5, not " + std::to_string(digits_));
  }
  std::int64_t single_unit_resolution = 2;  // 2 × 10^digits
  for (int i = 0; i < digits_; ++i) single_unit_resolution *= 10;
  const int sub_bucket_count_magnitude =
      static_cast<int>(std::ceil(std::log2(static_cast<double>(single_unit_resolution))));
  sub_bucket_half_count_magnitude_ = (sub_bucket_count_magnitude > 1 ? sub_bucket_count_magnitude : 1) - 1;
  unit_magnitude_ = floor_log2(static_cast<std::uint64_t>(lowest_));
  sub_bucket_count_ = std::int64_t{1} << (sub_bucket_half_count_magnitude_ + 1);
  sub_bucket_half_count_ = sub_bucket_count_ / 2;
  sub_bucket_mask_ = static_cast<std::uint64_t>(sub_bucket_count_ - 1) << unit_magnitude_;
  leading_zero_count_base_ = 64 - unit_magnitude_ - sub_bucket_half_count_magnitude_ - 1;

  // Buckets needed so that the highest trackable value has a slot.
  std::int64_t smallest_untrackable = sub_bucket_count_ << unit_magnitude_;
  int buckets = 1;
  while (smallest_untrackable <= highest_) {
    if (smallest_untrackable > std::numeric_limits<std::int64_t>::max() / 2) {
      ++buckets;
      break;
    }
    smallest_untrackable <<= 1;
    ++buckets;
  }
  bucket_count_ = buckets;
  counts_length_ = static_cast<std::size_t>((bucket_count_ + 1) * sub_bucket_half_count_);
}

int HdrLayout::bucket_of(std::int64_t value) const {
  return leading_zero_count_base_ - std::countl_zero(static_cast<std::uint64_t>(value) | sub_bucket_mask_);
}

std::int64_t HdrLayout::sub_bucket_of(std::int64_t value, int bucket) const {
  return static_cast<std::int64_t>(static_cast<std::uint64_t>(value) >> (bucket + unit_magnitude_));
}

std::size_t HdrLayout::index_of(std::int64_t value) const {
  const int bucket = bucket_of(value);
  const std::int64_t sub_bucket = sub_bucket_of(value, bucket);
  const std::int64_t base = static_cast<std::int64_t>(bucket + 1) << sub_bucket_half_count_magnitude_;
  return static_cast<std::size_t>(base + (sub_bucket - sub_bucket_half_count_));
}

std::int64_t HdrLayout::value_at(std::size_t index) const {
  const auto i = static_cast<std::int64_t>(index);
  int bucket = static_cast<int>(i >> sub_bucket_half_count_magnitude_) - 1;
  std::int64_t sub_bucket = (i & (sub_bucket_half_count_ - 1)) + sub_bucket_half_count_;
  if (bucket < 0) {
    sub_bucket -= sub_bucket_half_count_;
    bucket = 0;
  }
  return sub_bucket << (bucket + unit_magnitude_);
}

std::int64_t HdrLayout::equivalent_range(std::int64_t value) const {
  const int bucket = bucket_of(value);
  const std::int64_t sub_bucket = sub_bucket_of(value, bucket);
  const int adjusted = sub_bucket >= sub_bucket_count_ ? bucket + 1 : bucket;
  return std::int64_t{1} << (unit_magnitude_ + adjusted);
}

std::int64_t HdrLayout::lowest_equivalent(std::int64_t value) const {
  const int bucket = bucket_of(value);
  return sub_bucket_of(value, bucket) << (bucket + unit_magnitude_);
}

std::int64_t HdrLayout::highest_equivalent(std::int64_t value) const {
  return lowest_equivalent(value) + equivalent_range(value) - 1;
}

}  // namespace onshi::load
