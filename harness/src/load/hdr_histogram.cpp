#include "onshi/load/hdr_histogram.hpp"

#include <algorithm>
#include <cmath>

#include "onshi/core/error.hpp"

namespace onshi::load {

HdrHistogram::HdrHistogram() : HdrHistogram(HdrLayout(latency_lowest_us, latency_highest_us, latency_significant_digits)) {}

HdrHistogram::HdrHistogram(HdrLayout layout) : layout_(layout), counts_(layout_.counts_length(), 0) {}

void HdrHistogram::record(std::int64_t value, std::int64_t count) {
  value = std::clamp<std::int64_t>(value, 0, layout_.highest_trackable());
  counts_[layout_.index_of(value)] += count;
  total_ += count;
  max_seen_ = std::max(max_seen_, value);
  if (value != 0 && (min_nonzero_seen_ == 0 || value < min_nonzero_seen_)) min_nonzero_seen_ = value;
}

void HdrHistogram::set_count_at_index(std::size_t index, std::int64_t count) {
  if (index >= counts_.size()) {
    throw Error(ErrorCode::malformed_input, "HDR histogram: counts index " + std::to_string(index) + " beyond the layout");
  }
  total_ += count - counts_[index];
  counts_[index] = count;
  if (count == 0) return;
  const std::int64_t value = layout_.value_at(index);
  max_seen_ = std::max(max_seen_, value);
  if (value != 0 && (min_nonzero_seen_ == 0 || value < min_nonzero_seen_)) min_nonzero_seen_ = value;
}

void HdrHistogram::add(const HdrHistogram& other) {
  if (!(other.layout_ == layout_)) {
    throw Error(ErrorCode::invalid_argument, "HDR histogram: cannot add a histogram of a different range or precision");
  }
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  total_ += other.total_;
  max_seen_ = std::max(max_seen_, other.max_seen_);
  if (other.min_nonzero_seen_ != 0 && (min_nonzero_seen_ == 0 || other.min_nonzero_seen_ < min_nonzero_seen_)) {
    min_nonzero_seen_ = other.min_nonzero_seen_;
  }
}

void HdrHistogram::reset() {
  std::fill(counts_.begin(), counts_.end(), 0);
  total_ = 0;
  max_seen_ = 0;
  min_nonzero_seen_ = 0;
}

std::int64_t HdrHistogram::min() const {
  if (total_ == 0 || counts_[0] > 0) return 0;
  return layout_.lowest_equivalent(min_nonzero_seen_);
}

std::int64_t HdrHistogram::max() const { return max_seen_ == 0 ? 0 : layout_.highest_equivalent(max_seen_); }

std::int64_t HdrHistogram::value_at_percentile(double percentile) const {
  if (total_ == 0) return 0;
  const double requested = std::clamp(percentile, 0.0, 100.0);
  // The same rank HdrHistogram takes: the ceiling of the fraction of the total, at least 1.
  const auto rank = std::max<std::int64_t>(
      static_cast<std::int64_t>(std::ceil(requested / 100.0 * static_cast<double>(total_))), 1);
  std::int64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      const std::int64_t value = layout_.value_at(i);
      return requested == 0.0 ? layout_.lowest_equivalent(value) : layout_.highest_equivalent(value);
    }
  }
  return 0;
}

double HdrHistogram::mean() const {
  if (total_ == 0) return 0.0;
  double sum = 0.0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] == 0) continue;
    const std::int64_t value = layout_.value_at(i);
    const double median = static_cast<double>(layout_.lowest_equivalent(value)) +
                          static_cast<double>(layout_.equivalent_range(value) / 2);
    sum += median * static_cast<double>(counts_[i]);
  }
  return sum / static_cast<double>(total_);
}

}  // namespace onshi::load
