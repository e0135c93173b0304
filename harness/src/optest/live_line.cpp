#include "onshi/optest/live_line.hpp"

#include <cstdio>

namespace onshi::optest {

LiveLine::LiveLine(std::ostream& out, bool live, std::chrono::milliseconds redraw)
    : out_(out), live_(live), redraw_(redraw) {
  if (!live_) return;
  ticker_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      wake_.wait_for(lock, redraw_);
      if (!stopping_ && active_ && !paused_) draw_locked();
    }
  });
}

LiveLine::~LiveLine() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    if (live_) erase_locked();
  }
  wake_.notify_all();
  if (ticker_.joinable()) ticker_.join();
}

void LiveLine::run_started(const run::RunStarted& event) {
  std::lock_guard lock(mutex_);
  total_ = event.phases.size();
}

void LiveLine::phase_started(const run::PhaseStarted& event) {
  std::lock_guard lock(mutex_);
  index_ = event.index + 1;
  check_ = event.phase;
  started_ = std::chrono::steady_clock::now();
  active_ = true;
  if (live_ && !paused_) draw_locked();
}

void LiveLine::phase_ended(const run::PhaseEnded& /*event*/) {
  std::lock_guard lock(mutex_);
  active_ = false;
  if (live_) erase_locked();  // the console's row comes next, on a clean line
}

void LiveLine::run_ended(const run::RunEnded& /*event*/) {
  std::lock_guard lock(mutex_);
  active_ = false;
  if (live_) erase_locked();
}

void LiveLine::pause(bool paused) {
  std::lock_guard lock(mutex_);
  paused_ = paused;
  if (!live_) return;
  if (paused) {
    erase_locked();
  } else if (active_) {
    draw_locked();
  }
}

std::string LiveLine::text() const {
  std::lock_guard lock(mutex_);
  return text_locked();
}

std::string LiveLine::text_locked() const {
  if (!active_) return {};
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  char elapsed[32];
  std::snprintf(elapsed, sizeof elapsed, "%.1f s", seconds);
  return "\xE2\x96\xB6 [" + std::to_string(index_) + "/" + std::to_string(total_) + "] " + check_ + "  " + elapsed;
}

void LiveLine::draw_locked() {
  out_ << "\r\x1B[K  " << text_locked() << std::flush;
  drawn_ = true;
}

void LiveLine::erase_locked() {
  if (!drawn_) return;
  out_ << "\r\x1B[K" << std::flush;
  drawn_ = false;
}

}  // namespace onshi::optest
