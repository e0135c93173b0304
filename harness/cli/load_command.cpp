// onshi-hil load: open-loop receptions through N emulated readers (docs/load.md). Each reader
// is a rig wired from the same rig file, with its own embedded mock ONS and result folder, so
// readers share nothing that is not thread-safe; the load area sees only a callable.
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>
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
#include "onshi/load/load_reports.hpp"
#include "onshi/load/load_summary.hpp"
#include "onshi/load/open_loop_generator.hpp"
#include "onshi/load/progress_line.hpp"
#include "onshi/load/reception_outcome.hpp"
#include "onshi/load/threshold.hpp"
#include "onshi/receipt_computer_check/receipt_computer_under_load.hpp"
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
  std::string population;  // a generated population: each reader holds one of its patients' cards
  double max_lag_ms = 1000.0;
  double interval_s = 1.0;
  std::vector<std::string> thresholds;
  bool abort_on_fail = false;
  std::string shard;  // "I/N"
};

struct Shard {
  std::size_t index = 0;
  std::size_t count = 1;
};

// "I/N" with 0 <= I < N <= 1000.
Shard parse_shard(const std::string& text) {
  const std::size_t slash = text.find('/');
  std::size_t index = 0;
  std::size_t count = 0;
  try {
    std::size_t used = 0;
    if (slash == std::string::npos || slash == 0) throw std::invalid_argument("no I");
    index = std::stoul(text.substr(0, slash), &used);
    if (used != slash) throw std::invalid_argument("I");
    count = std::stoul(text.substr(slash + 1), &used);
    if (used != text.size() - slash - 1) throw std::invalid_argument("N");
  } catch (const std::exception&) {
    throw Error(ErrorCode::invalid_argument, "--shard '" + text + "': expected I/N, e.g. 0/4 for the first of four shards");
  }
  if (count == 0 || count > 1000 || index >= count) {
    throw Error(ErrorCode::invalid_argument, "--shard '" + text + "': needs 0 <= I < N <= 1000");
  }
  return Shard{index, count};
}

// What the figures depend on; report compare warns when two runs differ here.
std::map<std::string, std::string> rig_fingerprint(const rig::RigConfig& config) {
  std::map<std::string, std::string> f;
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0 && line.find(':') != std::string::npos) {
      f["cpu"] = line.substr(line.find(':') + 2);
      break;
    }
  }
  f["cores"] = std::to_string(std::thread::hardware_concurrency());
  utsname u{};
  if (::uname(&u) == 0) f["os"] = std::string(u.sysname) + " " + u.release + " " + u.machine;
  f["harness_version"] = ONSHI_VERSION;
  f["links"] = "card " + config.card.kind + ", reader " + config.reader.kind + ", ons " + config.ons.kind + ", output " +
               config.output.kind;
  return f;
}

// The terminal's width for the live lines: the window's, else $COLUMNS, else 120.
std::size_t terminal_width() {
  winsize w{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) == 0 && w.ws_col > 0) return w.ws_col;
  if (const char* columns = std::getenv("COLUMNS"); columns != nullptr) {
    const long n = std::strtol(columns, nullptr, 10);
    if (n > 0) return static_cast<std::size_t>(n);
  }
  return 120;
}

}  // namespace

Command add_load_command(CLI::App& app) {
  auto options = std::make_shared<LoadOptions>();
  CLI::App* load = app.add_subcommand(
      "load", "Open-loop load: receptions arrive on a schedule and run on N emulated readers against the rig's ONS\n"
              "(embedded mock or remote); latency per step and per reception, corrected for coordinated omission, goes to an HDR\n"
              "interval log, a JSON summary and reports in --out. Exit 1 when a reception failed, a threshold failed\n"
              "or the generator fell behind.");
  load->add_option("--rig", options->rig_file, "rig file (default: rigs/emulated.toml); its ONS must be embedded-mock or remote");
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
  load->add_option("--population", options->population,
                   "a generated population (`onshi-hil population generate`): reader i holds the card of its i-th\n"
                   "patient with a card in the PKI (`onshi-hil pki --population FILE --card-certs N`), every\n"
                   "reception of that reader that patient's; the embedded mock answers for them");
  load->add_option("--max-lag-ms", options->max_lag_ms, "how far behind schedule a reception may start (default 1000)")
      ->check(CLI::PositiveNumber);
  load->add_option("--interval", options->interval_s, "seconds per interval of the histogram log (default 1)")
      ->check(CLI::Range(0.1, 3600.0));
  load->add_option("--threshold", options->thresholds,
                   "a verdict on the run, e.g. 'reception.p99 < 3s', 'errors.rate < 0.1%', 'throughput >= 1.5/s' "
                   "(repeatable; added to the profile's); a failed one makes the run exit 1");
  load->add_flag("--abort-on-fail", options->abort_on_fail,
                 "stop taking arrivals as soon as a threshold fails on the figures so far (throughput is judged at the end)");
  load->add_option("--shard", options->shard,
                   "run only share I of N of the schedule (arrivals I, I+N, I+2N, ...); merge the shards with report merge");
  return [options, readers_option]() {
    load::ScheduleSpec spec;
    std::vector<Duration> arrivals;
    std::string schedule_label;
    load::LoadProfile profile;
    std::vector<std::string> threshold_texts;
    if (!options->profile_file.empty()) {
      profile = load::load_profile(options->profile_file);
      arrivals = load::profile_arrivals(profile);
      spec.duration = profile.duration();
      spec.seed = profile.seed;
      spec.rate_per_s = static_cast<double>(arrivals.size()) / std::chrono::duration<double>(spec.duration).count();
      schedule_label = "profile " + profile.name;
      if (readers_option->count() == 0 && profile.readers != 0) options->readers = profile.readers;
      if (options->scenario.empty()) options->scenario = profile.scenario;
      if (!options->scenario.empty()) profile.mix.clear();  // --scenario wins over the profile's mix
      threshold_texts = profile.thresholds;
    } else {
      spec.kind = load::schedule_kind_named(options->schedule);
      spec.rate_per_s = options->rate;
      spec.duration = from_seconds(options->duration_s);
      spec.seed = options->seed;
      arrivals = load::arrivals(spec);  // checks the bounds
    }

    threshold_texts.insert(threshold_texts.end(), options->thresholds.begin(), options->thresholds.end());
    std::vector<load::Threshold> thresholds;
    for (const std::string& text : threshold_texts) thresholds.push_back(load::parse_threshold(text));
    const Shard shard = options->shard.empty() ? Shard{} : parse_shard(options->shard);

    // Which scenario each arrival of the whole schedule runs, drawn before sharding so that a
    // shard runs the same scenarios as the same arrivals of the whole run.
    std::vector<std::size_t> scenario_of_arrival(arrivals.size(), 0);
    if (!profile.mix.empty()) scenario_of_arrival = load::mix_per_arrival(profile.mix, arrivals.size(), profile.seed ^ 0x6d6978u);
    if (shard.count > 1) {
      std::vector<Duration> mine;
      std::vector<std::size_t> mine_scenarios;
      for (std::size_t i = shard.index; i < arrivals.size(); i += shard.count) {
        mine.push_back(arrivals[i]);
        mine_scenarios.push_back(scenario_of_arrival[i]);
      }
      arrivals = std::move(mine);
      scenario_of_arrival = std::move(mine_scenarios);
      spec.rate_per_s /= static_cast<double>(shard.count);
    }

    const std::filesystem::path rig_file =
        options->rig_file.empty() ? rig::default_rig_file() : std::filesystem::path(options->rig_file);
    const rig::RigConfig config = rig::load_rig(rig_file);
    const std::filesystem::path out = options->out_dir;
    std::filesystem::create_directories(out);

    // The scenarios of the run: the mix's, or the one named. scenarios[r][k] is reader r's
    // copy of scenario k (each reader's rig has its own catalogue), played by reader r's
    // patient when there is a population.
    std::vector<std::string> scenario_names;
    for (const load::MixEntry& entry : profile.mix) scenario_names.push_back(entry.scenario);
    if (scenario_names.empty()) scenario_names.push_back(options->scenario.empty() ? config.scenario : options->scenario);
    std::vector<std::unique_ptr<rig::WiredRig>> readers;
    std::vector<std::vector<flow::Scenario>> scenarios;
    std::vector<std::string> reader_patients;  // reader r's generated patient, with --population
    // A receipt computer under test ([sut]) watches one set of folders: every reader delivers
    // into the rig's [output]. Otherwise each reader has its own, under --out.
    const bool receipt_computer_under_test = !config.sut.kind.empty();
    for (std::size_t r = 0; r < options->readers; ++r) {
      rig::WireOverrides overrides;
      if (!options->pki_dir.empty()) overrides.pki_dir = options->pki_dir;
      if (!options->population.empty()) overrides.population = options->population;
      if (!receipt_computer_under_test) overrides.output_dir = out / "readers" / std::to_string(r);
      readers.push_back(rig::WiredRig::wire(config, overrides));
      if (r == 0 && !options->population.empty()) reader_patients = readers[0]->generated_patients_with_cards(options->readers);
      scenarios.emplace_back();
      for (const std::string& name : scenario_names) {
        const flow::Scenario& named = readers.back()->scenario(name);
        scenarios.back().push_back(reader_patients.empty() ? named
                                                           : readers.back()->scenario_for_patient(named, reader_patients[r]));
      }
    }
    std::map<std::string, std::size_t> mix_counts;
    if (!profile.mix.empty()) {
      for (const std::size_t k : scenario_of_arrival) ++mix_counts[scenario_names[k]];
    }
    const std::string scenario_name = profile.mix.empty() ? scenario_names.front() : "mix";
    std::cout << "onshi-hil load: rig " << config.name << " (" << rig_file.string() << "), scenario " << scenario_name
              << ", " << (schedule_label.empty() ? load::to_string(spec.kind) : schedule_label) << " " << spec.rate_per_s
              << "/s for " << std::chrono::duration<double>(spec.duration).count() << " s ("
              << arrivals.size() << " arrivals" << (shard.count > 1 ? ", shard " + options->shard : std::string()) << "), "
              << options->readers << " reader(s)\n";
    if (!reader_patients.empty()) {
      std::cout << "patients: ";
      for (std::size_t r = 0; r < reader_patients.size(); ++r) {
        std::cout << (r == 0 ? "" : ", ") << reader_patients[r] << " (reader " << r << ")";
      }
      std::cout << " of " << options->population << "\n";
    }
    std::cout << std::flush;

    const std::filesystem::path hlog_path = out / "histograms.hlog";
    std::ofstream hlog_file(hlog_path, std::ios::binary | std::ios::trunc);
    if (!hlog_file) throw Error(ErrorCode::io, "cannot write the histogram log", hlog_path.string());
    load::HlogWriter hlog(hlog_file);

    const Clock& clock = SystemClock::instance();
    // A short lead so every reader thread is up before the first arrival is due.
    const MonotonicTime start = clock.monotonic_now() + std::chrono::milliseconds(50);
    hlog.write_header(clock.wall_now() + std::chrono::milliseconds(50));
    load::LoadRecorder recorder(start, from_seconds(options->interval_s), &hlog);

    // The receipt computer under test takes up each face file on its own time, after the
    // reader is free again: recorded as a step of its own when it has.
    std::unique_ptr<receipt_computer_check::ReceiptComputerUnderLoad> sut;
    if (receipt_computer_under_test) {
      sut = std::make_unique<receipt_computer_check::ReceiptComputerUnderLoad>(
          config, *readers.front(), [&recorder, &clock](Duration took, bool taken, const std::string&) {
            recorder.record_follow_up(load::face_taken_up_step, clock.monotonic_now(), took, taken);
          });
      std::cout << "system under test: " << sut->describe() << ", folders " << readers.front()->output_root().string()
                << "\n";
      if (const std::int64_t before = sut->files_lying(); before > 0) {
        std::cout << "note: face/ and res/ already hold " << before
                  << " file(s) from before this run; they count as left lying unless it takes them up\n";
      }
      std::cout << std::flush;
      sut->start();
      std::cout << "system under test ready; each face file must be taken up within "
                << sut->consume_deadline().count() << " ms (step " << load::face_taken_up_step << ")\n" << std::flush;
    }

    load::GeneratorOptions generator;
    generator.arrivals = arrivals;
    generator.planned = spec.duration;
    generator.readers = options->readers;
    generator.max_lag = from_seconds(options->max_lag_ms / 1000.0);
    const bool tty = ::isatty(STDOUT_FILENO) == 1;
    generator.progress_every = tty ? std::chrono::milliseconds(250) : std::chrono::seconds(1);
    const std::size_t width = tty ? terminal_width() : 0;
    const load::ProgressSink progress = [tty, width](const load::GeneratorProgress& p) {
      if (tty) {
        std::cout << load::live_progress(p, width) << std::flush;
      } else {
        std::cout << "progress: " << load::progress_totals(p) << "\n" << std::flush;
      }
    };
    if (options->abort_on_fail && !thresholds.empty()) {
      generator.abort_reason = [&]() -> std::string {
        std::string failed;
        recorder.inspect([&](const load::LoadRecorder& so_far) {
          const load::ThresholdInputs inputs{so_far, 0.0, so_far.max_start_lag()};
          for (const load::Threshold& t : thresholds) {
            if (!load::judged_while_running(t)) continue;
            const load::ThresholdVerdict v = load::evaluate(t, inputs);
            if (v.value && !v.pass) {
              failed = "threshold " + t.expression + " failed (measured " + load::describe_value(v) + ")";
              return;
            }
          }
        });
        return failed;
      };
    }
    // Per reader, so its thread counts without a lock: whom the ONS answered, from the embedded
    // mock's journal; an ONS elsewhere shows us no journal, so there it is the lookups it answered.
    std::vector<std::map<std::string, std::int64_t>> answered_for(options->readers);
    const load::ReceptionRunner reception = [&](std::size_t reader, std::size_t arrival) {
      try {
        const flow::RunRecord record = readers[reader]->run(scenarios[reader][scenario_of_arrival[arrival]]);
        if (sut && !record.result_file.empty()) sut->watch(record.result_file);
        for (const flow::OnsJournalEntry& entry : record.ons_journal) {
          if (!entry.patient_id.empty()) ++answered_for[reader][entry.patient_id];
        }
        if (record.ons_journal.empty() && !record.patient.empty()) {
          const flow::StepResult* lookup = record.step("qualification_lookup");
          if (lookup != nullptr && lookup->status == flow::StepStatus::passed) ++answered_for[reader][record.patient];
        }
        return load::ReceptionOutcome::from(record);
      } catch (const Error& e) {
        // A harness failure on one reception is counted, not fatal: the run goes on.
        return load::ReceptionOutcome::failed(std::string("error:") + std::string(to_string(e.code())));
      }
    };
    const load::GeneratorReport report = load::run_open_loop(clock, generator, reception, recorder, start, progress);
    std::optional<load::SutOutcome> sut_outcome;
    if (sut) sut_outcome = sut->finish();  // every face file's verdict recorded before the recorder closes
    recorder.finish(clock.monotonic_now());
    if (tty) std::cout << load::live_end();
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
    info.mix = mix_counts;
    info.shard = shard.count > 1 ? options->shard : std::string();
    info.fingerprint = rig_fingerprint(config);
    info.sut = sut_outcome;
    for (const auto& counts : answered_for) {
      for (const auto& [patient, receptions] : counts) info.patients[patient] += receptions;
    }
    const load::ThresholdInputs inputs{recorder, load::achieved_rate_per_s(info, report, recorder), report.max_lag};
    for (const load::Threshold& t : thresholds) info.thresholds.push_back(load::evaluate(t, inputs));
    const std::string summary = load::load_summary_json(info, report, recorder);
    write_file_atomically(out / "summary.json", summary);
    write_file_atomically(out / "summary.md", load::load_summary_markdown(summary));
    write_file_atomically(out / "report.html", load::load_report_html(summary));
    load::write_console_summary(std::cout, info, report, recorder);
    std::cout << "histograms: " << hlog_path.string() << "\nsummary: " << (out / "summary.json").string() << ", "
              << (out / "summary.md").string() << "\nreport: " << (out / "report.html").string() << "\n";
    bool failed = recorder.reception().errors != 0;
    if (info.sut) {
      const load::SutOutcome& o = *info.sut;
      std::cout << "system under test: took up " << o.faces_taken_up << " face file(s), not " << o.faces_not_taken_up
                << "; ended " << o.exit << "; its requests answered " << o.requests_answered
                << ", refused " << o.requests_refused << "; files rejected " << o.files_rejected << ", left lying "
                << o.files_left << "\n";
      for (const std::string& problem : o.problems) std::cout << "onshi-hil load: " << problem << "\n";
      failed = failed || !o.problems.empty();
    }
    if (report.fell_behind) {
      std::cout << "onshi-hil load: the generator fell behind schedule by more than " << options->max_lag_ms
                << " ms; the run is not valid at this rate with " << options->readers << " reader(s)\n";
      failed = true;
    }
    if (!report.aborted.empty()) {
      std::cout << "onshi-hil load: aborted: " << report.aborted << "\n";
      failed = true;
    }
    for (const load::ThresholdVerdict& v : info.thresholds) {
      if (v.pass) continue;
      std::cout << "onshi-hil load: threshold FAILED: " << v.expression << " (measured " << load::describe_value(v) << ")\n";
      failed = true;
    }
    return failed ? exit_failed : exit_ok;
  };
}

}  // namespace onshi::cli
