// onshi-hil load: open-loop receptions through N emulated readers (docs/load.md). Each reader
// is a rig wired from the same rig file, with its own embedded mock ONS and result folder, so
// readers share nothing that is not thread-safe; the load area sees only a callable.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "onshi/config/cli11.hpp"
#include "commands.hpp"
#include "onshi/core/atomic_file.hpp"
#include "onshi/core/error.hpp"
#include "onshi/load/arrival_schedule.hpp"
#include "onshi/load/hlog_writer.hpp"
#include "onshi/load/load_profile.hpp"
#include "onshi/load/load_recorder.hpp"
#include "onshi/load/load_summary.hpp"
#include "onshi/load/open_loop_generator.hpp"
#include "onshi/rig/rig_config.hpp"
#include "onshi/rig/wired_rig.hpp"

namespace onshi::cli {
namespace {

constexpr std::size_t max_readers = 64;

struct LoadOptions {
  std::string rig_file;
  std::string profile_file;
  std::string scenario;
  double rate = 10.0;
  double duration_s = 10.0;
  std::size_t readers = 1;
  std::string schedule = "constant";
  std::uint64_t seed = 1;
  std::string out_dir = "load-out";
  std::string pki_dir;
  double max_lag_ms = 1000.0;
  double interval_s = 1.0;
};

Duration seconds(double s) { return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(s)); }

std::string progress_line(const load::GeneratorProgress& p) {
  const double elapsed = std::chrono::duration<double>(p.elapsed).count();
  char text[200];
  std::snprintf(text, sizeof text, "%6.1f/%.1f s  started %zu  done %lld  in flight %zu  rate %.1f/s  p99 %.3f ms  errors %lld",
                elapsed, std::chrono::duration<double>(p.planned).count(), p.started,
                static_cast<long long>(p.recorded.completed), p.in_flight,
                elapsed > 0.0 ? static_cast<double>(p.recorded.completed) / elapsed : 0.0,
                static_cast<double>(p.recorded.p99_us) / 1000.0, static_cast<long long>(p.recorded.errors));
  return text;
}

}  // namespace

Command add_load_command(CLI::App& app) {
  auto options = std::make_shared<LoadOptions>();
  CLI::App* load = app.add_subcommand(
      "load", "Open-loop load: receptions arrive on a schedule and run on N emulated readers against the embedded\n"
              "mock ONS; latency per step and per reception, corrected for coordinated omission, goes to an HDR\n"
              "interval log and a JSON summary in --out. Exit 1 when a reception failed or the generator fell behind.");
  load->add_option("--rig", options->rig_file, "rig file (default: rigs/emulated.toml); its ONS must be embedded-mock");
  load->add_option("--scenario", options->scenario, "scenario every reception runs (default: the profile's, else the rig's)");
  CLI::Option* profile_option = load->add_option("--profile", options->profile_file,
                                          "load profile TOML (fixtures/load/*.toml): segments of constant, poisson and ramp arrivals");
  CLI::Option* rate = load->add_option("--rate", options->rate, "arrivals per second (at most 2000)")->check(CLI::PositiveNumber);
  CLI::Option* duration =
      load->add_option("--duration", options->duration_s, "seconds of arrivals (at most 3600)")->check(CLI::PositiveNumber);
  CLI::Option* readers_option =
      load->add_option("--readers", options->readers, "emulated readers, each one reception at a time (1..64)")
          ->check(CLI::Range(std::size_t{1}, max_readers));
  CLI::Option* schedule =
      load->add_option("--schedule", options->schedule, "constant | poisson")->check(CLI::IsMember({"constant", "poisson"}));
  CLI::Option* seed = load->add_option("--seed", options->seed, "seed of the poisson schedule (same seed, same arrivals)");
  profile_option->excludes(rate)->excludes(duration)->excludes(schedule)->excludes(seed);
  load->add_option("--out", options->out_dir, "folder for histograms.hlog and summary.json (default: load-out)");
  load->add_option("--pki", options->pki_dir, "test-PKI directory (overrides the rig's; made when missing)");
  load->add_option("--max-lag-ms", options->max_lag_ms, "how far behind schedule a reception may start (default 1000)")
      ->check(CLI::PositiveNumber);
  load->add_option("--interval", options->interval_s, "seconds per interval of the histogram log (default 1)")
      ->check(CLI::Range(0.1, 3600.0));
  return [options, readers_option]() {
    load::ScheduleSpec spec;
    std::vector<Duration> arrivals;
    std::string schedule_label;
    if (!options->profile_file.empty()) {
      const load::LoadProfile profile = load::load_profile(options->profile_file);
      arrivals = load::profile_arrivals(profile);
      spec.duration = profile.duration();
      spec.seed = profile.seed;
      spec.rate_per_s = static_cast<double>(arrivals.size()) / std::chrono::duration<double>(spec.duration).count();
      schedule_label = "profile " + profile.name;
      if (readers_option->count() == 0 && profile.readers != 0) options->readers = profile.readers;
      if (options->scenario.empty()) options->scenario = profile.scenario;
    } else {
      spec.kind = load::schedule_kind_named(options->schedule);
      spec.rate_per_s = options->rate;
      spec.duration = seconds(options->duration_s);
      spec.seed = options->seed;
      arrivals = load::arrivals(spec);  // checks the bounds
    }

    const std::filesystem::path rig_file =
        options->rig_file.empty() ? rig::default_rig_file() : std::filesystem::path(options->rig_file);
    const rig::RigConfig config = rig::load_rig(rig_file);
    if (config.ons.kind != "embedded-mock") {
      throw Error(ErrorCode::config, "onshi-hil load runs against the embedded mock ONS on loopback only; the rig's [ons] kind is '" +
                                         config.ons.kind + "'", config.ons.where);
    }
    const std::filesystem::path out = options->out_dir;
    std::filesystem::create_directories(out);

    std::vector<std::unique_ptr<rig::WiredRig>> readers;
    std::vector<const flow::Scenario*> scenarios;
    for (std::size_t r = 0; r < options->readers; ++r) {
      rig::WireOverrides overrides;
      if (!options->pki_dir.empty()) overrides.pki_dir = options->pki_dir;
      overrides.output_dir = out / "readers" / std::to_string(r);
      readers.push_back(rig::WiredRig::wire(config, overrides));
      scenarios.push_back(&readers.back()->scenario(options->scenario.empty() ? config.scenario : options->scenario));
    }
    const std::string scenario_name = scenarios.front()->name;
    std::cout << "onshi-hil load: rig " << config.name << " (" << rig_file.string() << "), scenario " << scenario_name
              << ", " << (schedule_label.empty() ? load::to_string(spec.kind) : schedule_label) << " " << spec.rate_per_s
              << "/s for " << std::chrono::duration<double>(spec.duration).count() << " s ("
              << arrivals.size() << " arrivals), " << options->readers << " reader(s)\n"
              << std::flush;

    const std::filesystem::path hlog_path = out / "histograms.hlog";
    std::ofstream hlog_file(hlog_path, std::ios::binary | std::ios::trunc);
    if (!hlog_file) throw Error(ErrorCode::io, "cannot write the histogram log", hlog_path.string());
    load::HlogWriter hlog(hlog_file);

    const Clock& clock = SystemClock::instance();
    // A short lead so every reader thread is up before the first arrival is due.
    const MonotonicTime start = clock.monotonic_now() + std::chrono::milliseconds(50);
    hlog.write_header(clock.wall_now() + std::chrono::milliseconds(50));
    load::LoadRecorder recorder(start, seconds(options->interval_s), &hlog);

    load::GeneratorOptions generator;
    generator.arrivals = arrivals;
    generator.planned = spec.duration;
    generator.readers = options->readers;
    generator.max_lag = seconds(options->max_lag_ms / 1000.0);
    const bool tty = ::isatty(STDOUT_FILENO) == 1;
    generator.progress_every = tty ? std::chrono::milliseconds(250) : std::chrono::seconds(1);
    const load::ProgressSink progress = [tty](const load::GeneratorProgress& p) {
      if (tty) {
        std::cout << "\r" << progress_line(p) << "\x1b[K" << std::flush;
      } else {
        std::cout << "progress: " << progress_line(p) << "\n" << std::flush;
      }
    };
    const load::ReceptionRunner reception = [&](std::size_t reader) {
      try {
        return load::ReceptionOutcome::from(readers[reader]->run(*scenarios[reader]));
      } catch (const Error& e) {
        // A harness failure on one reception is counted, not fatal: the run goes on.
        return load::ReceptionOutcome::failed(std::string("error:") + std::string(to_string(e.code())));
      }
    };
    const load::GeneratorReport report = load::run_open_loop(clock, generator, reception, recorder, start, progress);
    recorder.finish(clock.monotonic_now());
    if (tty) std::cout << "\n";
    hlog_file.flush();
    if (!hlog_file) throw Error(ErrorCode::io, "cannot write the histogram log", hlog_path.string());

    load::LoadRunInfo info;
    info.rig = config.name;
    info.rig_file = rig_file.string();
    info.scenario = scenario_name;
    info.schedule = spec;
    info.profile = options->profile_file;
    info.schedule_label = schedule_label;
    info.readers = options->readers;
    info.max_lag_bound = generator.max_lag;
    write_file_atomically(out / "summary.json", load::load_summary_json(info, report, recorder));
    load::write_console_summary(std::cout, info, report, recorder);
    std::cout << "histograms: " << hlog_path.string() << "\nsummary: " << (out / "summary.json").string() << "\n";
    if (report.fell_behind) {
      std::cout << "onshi-hil load: the generator fell behind schedule by more than " << options->max_lag_ms
                << " ms; the run is not valid at this rate with " << options->readers << " reader(s)\n";
      return exit_failed;
    }
    return recorder.reception().errors == 0 ? exit_ok : exit_failed;
  };
}

}  // namespace onshi::cli
