#include "onshi/receipt_computer_check/receipt_computer_under_load.hpp"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <deque>
#include <iterator>
#include <optional>
#include <thread>

#include "harness_terminal.hpp"
#include "onshi/core/error.hpp"
#include "onshi/core/last_lines.hpp"
#include "onshi/links/sut_backend.hpp"
#include "onshi/ons/ons_client.hpp"
#include "onshi/sut/sut_process.hpp"
#include "onshi/terminal/terminal_service.hpp"
#include "sut_journal_reader.hpp"
#include "terminal_answers.hpp"

namespace onshi::receipt_computer_check {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

namespace {

// How long face/, res/ and req/ must stay empty before the run's end stops the terminal
// (capped by the consume deadline): time for a receipt computer to write the request it
// makes after taking up a face file (docs/load.md "A receipt computer under load").
constexpr std::chrono::milliseconds kQuietBeforeStop{1000};

struct Watched {
  fs::path file;
  Steady::time_point delivered;
};

std::int64_t files_in(const fs::path& dir) {
  std::error_code ec;
  std::int64_t n = 0;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().filename().string().front() != '.') ++n;
  }
  return n;
}

}  // namespace

struct ReceiptComputerUnderLoad::Parts {
  fs::path root;
  TakenUp taken_up;
  std::unique_ptr<links::SutLink> sut;
  std::unique_ptr<ons::OnsClient> ons;
  std::unique_ptr<terminal::TerminalService> terminal;
  std::atomic<bool> stop_terminal{false};
  std::thread terminal_thread;

  std::mutex mutex;  // guards the fields below
  std::condition_variable changed;
  std::deque<Watched> watched;
  bool stop_watching = false;
  std::int64_t taken = 0;
  std::int64_t not_taken = 0;
  std::string first_not_taken;
  std::thread watcher;

  std::optional<std::string> ended;  // how the SUT ended mid-run; read and written by the watcher, then finish()
  bool finished = false;

  std::chrono::milliseconds deadline() const { return sut->settings().consume_deadline; }

  // The SUT's end mid-run, once it has ended (the link reaps it: the watcher's thread only).
  const std::optional<std::string>& check_ended() {
    if (!ended) {
      if (const auto status = sut->exited()) {
        std::string tail = last_lines(sut->stderr_text(), 3);
        while (!tail.empty() && (tail.back() == '\n' || tail.back() == '\r')) tail.pop_back();
        ended = status->describe() + (tail.empty() ? "" : "; its stderr ends: " + tail);
      }
    }
    return ended;
  }

  void verdict(const Watched& w, bool ok, const std::string& why_not) {
    {
      std::lock_guard lock(mutex);
      if (ok) {
        ++taken;
      } else if (not_taken++ == 0) {
        first_not_taken = why_not;
      }
    }
    taken_up(std::chrono::duration_cast<Duration>(Steady::now() - w.delivered), ok, why_not);
  }

  // Polls the watched files every millisecond (the measurement's resolution) until told to
  // stop with none left.
  void watch_loop() {
    std::unique_lock lock(mutex);
    for (;;) {
      if (watched.empty()) {
        if (stop_watching) return;
        changed.wait_for(lock, 50ms);
        continue;
      }
      std::deque<Watched> now = std::move(watched);
      watched.clear();
      lock.unlock();
      std::deque<Watched> still;
      const bool sut_ended = check_ended().has_value();
      for (Watched& w : now) {
        std::error_code ec;
        if (!fs::exists(w.file, ec)) {
          verdict(w, true, {});
        } else if (sut_ended) {
          verdict(w, false, "the receipt computer ended mid-run: " + *ended);
        } else if (Steady::now() - w.delivered >= deadline()) {
          verdict(w, false, "face/" + w.file.filename().string() +
                                " was left lying: not taken up within consume_deadline_ms " +
                                std::to_string(deadline().count()));
        } else {
          still.push_back(std::move(w));
        }
      }
      lock.lock();
      watched.insert(watched.begin(), std::make_move_iterator(still.begin()), std::make_move_iterator(still.end()));
      if (!watched.empty()) {
        lock.unlock();
        std::this_thread::sleep_for(1ms);
        lock.lock();
      }
    }
  }

  void stop_watcher() {
    {
      std::lock_guard lock(mutex);
      stop_watching = true;
    }
    changed.notify_all();
    if (watcher.joinable()) watcher.join();
  }

  void stop_terminal_thread() {
    stop_terminal = true;
    if (terminal_thread.joinable()) terminal_thread.join();
  }
};

ReceiptComputerUnderLoad::ReceiptComputerUnderLoad(const rig::RigConfig& config, const rig::WiredRig& wired,
                                                   TakenUp taken_up, std::chrono::milliseconds settle)
    : parts_(std::make_unique<Parts>()) {
  if (config.sut.kind.empty()) {
    throw Error(ErrorCode::config, "the rig names no system under test: add a [sut] table (docs/sut.md)", config.file.string());
  }
  parts_->root = wired.output_root();
  parts_->taken_up = std::move(taken_up);
  parts_->sut = links::open_sut_link(config.sut, sut_open_context(config, wired));
  const ons::OnsClientOptions client = wired.ons_client_options();
  parts_->ons = std::make_unique<ons::OnsClient>(client);
  parts_->terminal = harness_terminal(config, wired, *parts_->ons, client, settle);
}

ReceiptComputerUnderLoad::~ReceiptComputerUnderLoad() {
  if (parts_->finished) return;
  parts_->stop_watcher();
  parts_->stop_terminal_thread();
  try {
    parts_->sut->stop();
  } catch (const Error&) {
  }
}

std::int64_t ReceiptComputerUnderLoad::files_lying() const {
  return files_in(parts_->root / "face") + files_in(parts_->root / "res");
}

void ReceiptComputerUnderLoad::start() {
  Parts& p = *parts_;
  p.terminal_thread = std::thread([&p] { p.terminal->serve_until(p.stop_terminal, 20ms); });
  p.sut->start();
  p.watcher = std::thread([&p] { p.watch_loop(); });
}

std::string ReceiptComputerUnderLoad::describe() const { return parts_->sut->describe(); }

std::chrono::milliseconds ReceiptComputerUnderLoad::consume_deadline() const { return parts_->deadline(); }

void ReceiptComputerUnderLoad::watch(const fs::path& face_file) {
  {
    std::lock_guard lock(parts_->mutex);
    parts_->watched.push_back({face_file, Steady::now()});
  }
  parts_->changed.notify_all();
}

load::SutOutcome ReceiptComputerUnderLoad::finish() {
  Parts& p = *parts_;
  p.stop_watcher();  // returns once every watched file has its verdict
  load::SutOutcome end;
  end.sut = describe();
  end.ready_ms = std::chrono::duration<double, std::milli>(p.sut->ready_after()).count();
  end.faces_taken_up = p.taken;
  end.faces_not_taken_up = p.not_taken;
  if (p.not_taken > 0) {
    end.problems.push_back(std::to_string(p.not_taken) + " face file(s) not taken up; the first: " + p.first_not_taken);
  }
  // What the SUT still has to take up: the last answers in res/ (and its last requests). The
  // folders must stay empty for a quiet spell, not just once: between taking up a face file
  // and writing its request into req/, a receipt computer leaves all three empty.
  const auto until = Steady::now() + p.deadline();
  const auto quiet = std::min<std::chrono::milliseconds>(p.deadline(), kQuietBeforeStop);
  bool empty = false;
  Steady::time_point empty_since{};
  while (!p.check_ended() && Steady::now() < until) {
    if (files_in(p.root / "face") + files_in(p.root / "res") + files_in(p.root / "req") > 0) {
      empty = false;
    } else if (!empty) {
      empty = true;
      empty_since = Steady::now();
    } else if (Steady::now() - empty_since >= quiet) {
      break;
    }
    std::this_thread::sleep_for(10ms);
  }
  p.stop_terminal_thread();
  end.files_left = files_in(p.root / "face") + files_in(p.root / "res");
  if (end.files_left > 0) {
    end.problems.push_back(std::to_string(end.files_left) + " file(s) left lying in face/ and res/ when the run ended");
  }
  // The terminal moves every request it answered into trash/: what is still in req/ was not answered.
  if (const std::int64_t unanswered = files_in(p.root / "req"); unanswered > 0) {
    end.problems.push_back(std::to_string(unanswered) + " request(s) left unanswered in req/ when the run ended");
  }
  for (const TerminalAnswer& a : terminal_answers_after(p.terminal->journal().file(), 0)) {
    if (a.event == "answered") {
      ++end.requests_answered;
    } else if (end.requests_refused++ == 0) {
      end.problems.push_back("the terminal refused the receipt computer's request " + a.request + ": " + a.error_code +
                             " " + a.reason);
    }
  }
  if (!p.sut->settings().journal.empty()) {
    for (const auto& [file, verdict] : read_sut_journal(p.sut->settings().journal)) {
      if (!verdict.accepted && end.files_rejected++ == 0) {
        end.problems.push_back("the receipt computer rejected " + file + ": " + verdict.reason);
      }
    }
  }
  if (!p.sut->launched()) {
    end.exit = "external";
  } else if (p.check_ended()) {
    p.sut->stop();
    end.exit = *p.ended;
    end.problems.push_back("the receipt computer ended mid-run: " + *p.ended);
  } else {
    const std::optional<sut::ExitStatus> status = p.sut->stop();
    end.exit = status ? status->describe() : "not started";
    if (p.sut->was_killed()) {
      end.problems.push_back("the receipt computer did not stop on SIGTERM within stop_timeout: killed (" + end.exit + ")");
    } else if (status && !status->clean() && status->signal != SIGTERM) {
      end.problems.push_back("the receipt computer ended with " + end.exit + " after SIGTERM");
    }
    if (sut::process_group_alive(p.sut->process_group())) {
      end.problems.push_back("processes of the receipt computer's group " + std::to_string(p.sut->process_group()) +
                             " are still alive after it stopped");
    }
  }
  p.finished = true;
  return end;
}

}  // namespace onshi::receipt_computer_check
