#pragma once
// The ONS's asynchronous requests (the bulk inquiry, the bulk 照会番号 registration; docs/
// domain/file-interface.md "Bulk requests are asynchronous"): a submit is answered at once with
// a ReceptionNumber, and its result, worked out at submit time, is released to a fetch once
// ready_at has passed. Jobs are kept by number, the oldest dropped past `kept`. Not locked
// itself: the service holds its bulk mutex around every call.
#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <string>

#include "onshi/core/clock.hpp"

namespace onshi::mocks::ons {

template <class Result>
class AsyncJobs {
 public:
  struct Job {
    std::string facility;
    WallTime ready_at;
    Result result;  // as it will read once ready
  };

  void add(const std::string& number, Job job, std::size_t kept) {
    jobs_[number] = std::move(job);
    order_.push_back(number);
    while (order_.size() > kept) {
      jobs_.erase(order_.front());
      order_.pop_front();
    }
  }

  // The job under `number` if that facility submitted it: another facility's number is as
  // unknown as a made-up one.
  std::optional<Job> find(const std::string& number, const std::string& facility) const {
    const auto it = jobs_.find(number);
    if (it == jobs_.end() || it->second.facility != facility) return std::nullopt;
    return it->second;
  }

 private:
  std::map<std::string, Job> jobs_;
  std::deque<std::string> order_;
};

}  // namespace onshi::mocks::ons
