#pragma once
// The live line an operator watches on a terminal while the operational test runs (docs/
// optest.md): the current check, its elapsed time and n/m, redrawn in place a few times a
// second and erased before the check's table row is printed. Elsewhere (a pipe, a CI log) it
// draws nothing and the table's rows, one per finished check, are the plain lines. An event
// sink: add it to the fan-out *before* the console table, so the line is gone when a row comes.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

#include "onshi/run/event_sink.hpp"

namespace onshi::optest {

class LiveLine final : public run::EventSink {
 public:
  // `live`: draw at all (the output is a terminal).
  LiveLine(std::ostream& out, bool live, std::chrono::milliseconds redraw = std::chrono::milliseconds(250));
  ~LiveLine() override;
  LiveLine(const LiveLine&) = delete;
  LiveLine& operator=(const LiveLine&) = delete;

  void run_started(const run::RunStarted& event) override;
  void phase_started(const run::PhaseStarted& event) override;
  void phase_ended(const run::PhaseEnded& event) override;
  void run_ended(const run::RunEnded& event) override;

  // A prompt is shown: the line steps aside until it is answered.
  void pause(bool paused);

  // "▶ [5/15] reception.pin  1.2 s": what the line shows now (for tests; empty when idle).
  std::string text() const;

 private:
  void draw_locked();
  void erase_locked();
  std::string text_locked() const;

  std::ostream& out_;
  const bool live_;
  const std::chrono::milliseconds redraw_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::size_t total_ = 0;
  std::size_t index_ = 0;
  std::string check_;
  std::chrono::steady_clock::time_point started_{};
  bool active_ = false;
  bool paused_ = false;
  bool drawn_ = false;
  bool stopping_ = false;
  std::thread ticker_;
};

}  // namespace onshi::optest
