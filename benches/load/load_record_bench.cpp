// What recording costs the load tool (issue 12: "recording one sample: < 1 µs"): one latency
// into an HdrHistogram (1 µs .. 1 hour, 3 digits), and one whole reception into the
// LoadRecorder the reader threads share (its lock, the reception and six steps, corrected and
// uncorrected, whole-run and per-interval: 28 samples), with intervals closing as they would
// at 1,000 receptions/s. The figures go in the README's "Benchmarks"; nothing asserts them.
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "onshi/load/hdr_histogram.hpp"
#include "onshi/load/load_recorder.hpp"

namespace onshi::load {
namespace {

// Latencies spread like a load run's, 50 µs .. ~20 s, log-uniform, so the slot index changes
// from sample to sample as it does in a run (one repeated value would flatter the cache).
std::vector<std::int64_t> latencies_us(std::size_t count) {
  std::mt19937_64 random(12);
  std::vector<std::int64_t> values(count);
  for (std::int64_t& v : values) {
    const int exponent = static_cast<int>(random() % 19);  // 2^5 .. 2^24 µs
    v = (std::int64_t{1} << (exponent + 5)) + static_cast<std::int64_t>(random() % (std::uint64_t{1} << (exponent + 5)));
  }
  return values;
}

void BM_HdrHistogramRecordOneSample(benchmark::State& state) {
  const std::vector<std::int64_t> values = latencies_us(4096);
  HdrHistogram histogram;
  std::size_t i = 0;
  for (auto _ : state) {
    histogram.record(values[i]);
    i = (i + 1) & 4095;
  }
  benchmark::DoNotOptimize(histogram.total_count());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HdrHistogramRecordOneSample);

const std::array<const char*, 6> step_names{"card_detect", "read_certificate", "identity_check",
                                            "consent",     "qualification_lookup", "deliver_result"};

void BM_LoadRecorderRecordOneReception(benchmark::State& state) {
  const std::vector<std::int64_t> values = latencies_us(4096);
  const MonotonicTime start{};
  LoadRecorder recorder(start, std::chrono::seconds(1), nullptr);
  ReceptionOutcome outcome;
  for (const char* name : step_names) outcome.steps.push_back({name, {}, true});
  std::size_t i = 0;
  std::int64_t arrival = 0;
  for (auto _ : state) {
    ReceptionTiming timing;
    timing.scheduled = start + std::chrono::milliseconds(arrival++);  // 1,000 arrivals/s
    timing.started = timing.scheduled + std::chrono::microseconds(values[i] & 1023);
    timing.ended = timing.started + std::chrono::microseconds(values[i]);
    for (StepTiming& step : outcome.steps) {
      step.duration = std::chrono::microseconds(values[i] / 6);
      i = (i + 1) & 4095;
    }
    recorder.record(timing, outcome);
  }
  benchmark::DoNotOptimize(recorder.reception().count);
  state.SetItemsProcessed(state.iterations());
  // Samples recorded per reception: (reception + 6 steps) x (corrected, uncorrected) x (run, interval).
  state.counters["samples_per_reception"] = 28;
}
BENCHMARK(BM_LoadRecorderRecordOneReception);

}  // namespace
}  // namespace onshi::load
