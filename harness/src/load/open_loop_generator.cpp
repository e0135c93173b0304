#include "onshi/load/open_loop_generator.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

#include "onshi/core/error.hpp"

namespace onshi::load {

GeneratorReport run_open_loop(const Clock& clock, const GeneratorOptions& options, const ReceptionRunner& reception,
                              LoadRecorder& recorder, MonotonicTime start, const ProgressSink& progress,
                              const SleepUntil& sleep_until) {
  if (options.readers == 0) throw Error(ErrorCode::invalid_argument, "load: at least one reader is needed");
  const SleepUntil sleep = sleep_until ? sleep_until : SleepUntil([](MonotonicTime t) { std::this_thread::sleep_until(t); });

  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> started{0};
  std::atomic<std::size_t> in_flight{0};
  std::atomic<bool> stop{false};
  std::atomic<bool> abort_requested{false};
  std::string aborted;  // written by the calling thread only
  std::atomic<Duration::rep> stop_lag{0};  // the lag of the arrival that stopped the run
  std::mutex done_mutex;
  std::condition_variable done_cv;
  std::size_t readers_done = 0;
  MonotonicTime last_end = start;

  auto reader_loop = [&](std::size_t reader) {
    for (;;) {
      if (stop.load() || abort_requested.load()) break;
      const std::size_t i = next.fetch_add(1);
      if (i >= options.arrivals.size()) break;
      ReceptionTiming timing;
      timing.scheduled = start + options.arrivals[i];
      if (clock.monotonic_now() < timing.scheduled) sleep(timing.scheduled);
      timing.started = clock.monotonic_now();
      if (timing.start_lag() > options.max_lag) {
        // Behind by more than the bound: this arrival and the rest are not run.
        stop_lag.store(timing.start_lag().count());
        stop.store(true);
        break;
      }
      started.fetch_add(1);
      in_flight.fetch_add(1);
      ReceptionOutcome outcome;
      try {
        outcome = reception(reader, i);
      } catch (const std::exception&) {
        outcome = ReceptionOutcome::failed("exception");
      }
      timing.ended = clock.monotonic_now();
      in_flight.fetch_sub(1);
      recorder.record(timing, outcome);
      const std::lock_guard lock(done_mutex);
      last_end = std::max(last_end, timing.ended);
    }
    const std::lock_guard lock(done_mutex);
    ++readers_done;
    done_cv.notify_all();
  };

  std::vector<std::thread> threads;
  threads.reserve(options.readers);
  for (std::size_t r = 0; r < options.readers; ++r) threads.emplace_back(reader_loop, r);

  auto check_abort = [&] {
    if (!options.abort_reason || !aborted.empty()) return;
    aborted = options.abort_reason();
    if (!aborted.empty()) abort_requested.store(true);
  };
  auto report_progress = [&] {
    if (!progress) return;
    progress(GeneratorProgress{clock.monotonic_now() - start, options.planned, started.load(), in_flight.load(),
                               recorder.snapshot()});
  };
  {
    std::unique_lock lock(done_mutex);
    while (readers_done < options.readers) {
      // Real time, not the clock's: a test's clock moves only with its receptions.
      if (!done_cv.wait_for(lock, options.progress_every, [&] { return readers_done == options.readers; })) {
        lock.unlock();
        report_progress();
        check_abort();
        lock.lock();
      }
    }
  }
  for (std::thread& t : threads) t.join();
  report_progress();

  GeneratorReport report;
  report.scheduled = options.arrivals.size();
  report.started = started.load();
  report.max_lag = std::max(recorder.snapshot().max_start_lag, Duration(stop_lag.load()));
  report.fell_behind = stop.load();
  report.aborted = aborted;
  report.elapsed = last_end - start;
  return report;
}

}  // namespace onshi::load
