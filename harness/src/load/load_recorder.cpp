#include "onshi/load/load_recorder.hpp"

#include <algorithm>

#include "onshi/core/error.hpp"

namespace onshi::load {

std::int64_t to_micros(Duration d) {
  return std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::microseconds>(d).count());
}

LoadRecorder::LoadRecorder(MonotonicTime run_start, Duration interval, HlogWriter* log)
    : run_start_(run_start), interval_(interval), log_(log) {
  if (interval_ <= Duration::zero()) throw Error(ErrorCode::invalid_argument, "load recorder: interval must be > 0");
}

std::size_t LoadRecorder::interval_index(MonotonicTime t) const {
  if (t <= run_start_) return 0;
  return static_cast<std::size_t>((t - run_start_) / interval_);
}

LatencyTally& LoadRecorder::step_tally(std::map<std::string, LatencyTally>& steps, const std::string& name) {
  return steps.try_emplace(name).first->second;
}

void LoadRecorder::record(const ReceptionTiming& timing, const ReceptionOutcome& outcome) {
  const std::lock_guard lock(mutex_);
  if (finished_) throw Error(ErrorCode::state, "load recorder: record() after finish()");
  // A reception finishing in a later interval closes the current one; one finishing a little
  // out of order (another reader recorded first) counts in the current interval.
  const std::size_t index = interval_index(timing.ended);
  while (current_index_ < index) close_interval_locked();

  max_start_lag_ = std::max(max_start_lag_, timing.start_lag());
  const std::int64_t corrected = to_micros(timing.corrected());
  const std::int64_t uncorrected = to_micros(timing.uncorrected());
  for (LatencyTally* tally : {&reception_, &current_.reception}) {
    tally->corrected.record(corrected);
    tally->uncorrected.record(uncorrected);
    ++tally->count;
    if (!outcome.ok()) ++tally->errors;
  }
  if (intervals_.size() <= current_index_) intervals_.resize(current_index_ + 1);
  ++intervals_[current_index_].completed;
  if (!outcome.ok()) {
    ++errors_by_reason_[outcome.error];
    ++intervals_[current_index_].errors;
  }
  for (std::size_t i = 0; i < outcome.steps.size(); ++i) {
    const StepTiming& step = outcome.steps[i];
    if (steps_.find(step.name) == steps_.end()) step_order_.push_back(step.name);
    const std::int64_t own = to_micros(step.duration);
    const std::int64_t waited = i == 0 ? to_micros(timing.start_lag()) : 0;
    for (LatencyTally* tally : {&step_tally(steps_, step.name), &step_tally(current_.steps, step.name)}) {
      tally->corrected.record(own + waited);
      tally->uncorrected.record(own);
      ++tally->count;
      if (!step.passed) ++tally->errors;
    }
  }
}

void LoadRecorder::record_follow_up(const std::string& step, MonotonicTime ended, Duration took, bool passed) {
  const std::lock_guard lock(mutex_);
  if (finished_) throw Error(ErrorCode::state, "load recorder: record_follow_up() after finish()");
  const std::size_t index = interval_index(ended);
  while (current_index_ < index) close_interval_locked();
  if (steps_.find(step) == steps_.end()) step_order_.push_back(step);
  const std::int64_t us = to_micros(took);
  for (LatencyTally* tally : {&step_tally(steps_, step), &step_tally(current_.steps, step)}) {
    tally->corrected.record(us);
    tally->uncorrected.record(us);
    ++tally->count;
    if (!passed) ++tally->errors;
  }
  if (!passed) {
    ++errors_by_reason_[step];
    if (intervals_.size() <= current_index_) intervals_.resize(current_index_ + 1);
    ++intervals_[current_index_].errors;
  }
}

void LoadRecorder::close_interval_locked() {
  if (current_.reception.count > 0) {
    if (intervals_.size() <= current_index_) intervals_.resize(current_index_ + 1);
    IntervalCount& closing = intervals_[current_index_];
    closing.p50_us = current_.reception.corrected.value_at_percentile(50.0);
    closing.p99_us = current_.reception.corrected.value_at_percentile(99.0);
    closing.max_us = current_.reception.corrected.max();
  }
  const bool steps_ended = std::any_of(current_.steps.begin(), current_.steps.end(),
                                       [](const auto& named) { return named.second.count > 0; });
  if (log_ != nullptr && (current_.reception.count > 0 || steps_ended)) {
    const double start = std::chrono::duration<double>(interval_ * static_cast<std::int64_t>(current_index_)).count();
    const double length = std::chrono::duration<double>(interval_).count();
    if (current_.reception.count > 0) {
      log_->write_interval("reception", start, length, current_.reception.corrected);
      log_->write_interval("reception.uncorrected", start, length, current_.reception.uncorrected);
    }
    for (const std::string& name : step_order_) {
      const auto it = current_.steps.find(name);
      if (it == current_.steps.end() || it->second.count == 0) continue;
      log_->write_interval(name, start, length, it->second.corrected);
      log_->write_interval(name + ".uncorrected", start, length, it->second.uncorrected);
    }
  }
  current_.reception = LatencyTally{};
  // Kept allocated: a step's histograms are reset, not rebuilt, every interval.
  for (auto& [name, tally] : current_.steps) {
    tally.corrected.reset();
    tally.uncorrected.reset();
    tally.count = 0;
    tally.errors = 0;
  }
  ++current_index_;
  if (intervals_.size() < current_index_) intervals_.resize(current_index_);
}

void LoadRecorder::finish(MonotonicTime run_end) {
  const std::lock_guard lock(mutex_);
  if (finished_) return;
  const std::size_t last = interval_index(run_end);
  while (current_index_ < last) close_interval_locked();
  close_interval_locked();
  finished_ = true;
}

const LatencyTally& LoadRecorder::step(const std::string& name) const {
  const auto it = steps_.find(name);
  if (it == steps_.end()) throw Error(ErrorCode::not_found, "load run: no step '" + name + "' was recorded");
  return it->second;
}

LoadRecorder::Snapshot LoadRecorder::snapshot() const {
  const std::lock_guard lock(mutex_);
  Snapshot s{reception_.count, reception_.errors, reception_.corrected.value_at_percentile(99.0), max_start_lag_, {}};
  s.steps.reserve(step_order_.size());
  for (const std::string& name : step_order_) s.steps.push_back({name, steps_.at(name).corrected.value_at_percentile(99.0)});
  return s;
}

void LoadRecorder::absorb_tally(const std::string& name, const LatencyTally& tally) {
  const std::lock_guard lock(mutex_);
  LatencyTally* into = &reception_;
  if (name != "reception") {
    if (steps_.find(name) == steps_.end()) step_order_.push_back(name);
    into = &step_tally(steps_, name);
  }
  into->corrected.add(tally.corrected);
  into->uncorrected.add(tally.uncorrected);
  into->count += tally.count;
  into->errors += tally.errors;
}

void LoadRecorder::absorb_errors(const std::string& reason, std::int64_t count) {
  const std::lock_guard lock(mutex_);
  errors_by_reason_[reason] += count;
}

void LoadRecorder::absorb_interval(std::size_t index, const IntervalCount& interval) {
  const std::lock_guard lock(mutex_);
  if (intervals_.size() <= index) intervals_.resize(index + 1);
  IntervalCount& into = intervals_[index];
  into.completed += interval.completed;
  into.errors += interval.errors;
  into.p50_us = interval.p50_us;
  into.p99_us = interval.p99_us;
  into.max_us = interval.max_us;
}

void LoadRecorder::absorb_start_lag(Duration lag) {
  const std::lock_guard lock(mutex_);
  max_start_lag_ = std::max(max_start_lag_, lag);
}

void LoadRecorder::inspect(const std::function<void(const LoadRecorder&)>& look) const {
  const std::lock_guard lock(mutex_);
  look(*this);
}

}  // namespace onshi::load
