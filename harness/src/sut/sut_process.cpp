#include "onshi/sut/sut_process.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <regex>
#include <thread>

#include "onshi/core/error.hpp"
#include "onshi/core/last_lines.hpp"
#include "onshi/sut/log_redaction.hpp"

namespace onshi::sut {
namespace {

namespace bp = boost::process;
using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t kMaxCapturedBytes = 1 << 20;

// In the child, before exec: a process group of its own (so stop() reaches everything it
// starts), SIGPIPE back to its default (a harness may ignore it, and ignored signals survive
// exec), and every inherited descriptor but 0-2 closed on exec (the harness's sockets are
// none of the SUT's business; Boost's own error pipe is close-on-exec already).
struct SutChildSetup : bp::extend::handler {
  template <class Executor>
  void on_exec_setup(Executor&) const {
    ::setpgid(0, 0);
    ::signal(SIGPIPE, SIG_DFL);
    ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
  }
};

std::string joined(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& a : argv) s += (s.empty() ? "" : " ") + a;
  return s;
}

// One captured stream: lines as they arrive, redacted, bounded.
struct Capture {
  mutable std::mutex mutex;
  std::condition_variable changed;
  std::string text;
  std::string partial;
  std::size_t dropped = 0;
  bool closed = false;
  std::size_t lines = 0;

  void add_line(std::string line) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    line = redact_log_line(line);
    if (text.size() + line.size() + 1 > kMaxCapturedBytes) {
      dropped += line.size() + 1;
      return;
    }
    text += line;
    text += '\n';
    ++lines;
  }

  void add(const char* data, std::size_t size) {
    std::lock_guard lock(mutex);
    partial.append(data, size);
    for (std::size_t nl; (nl = partial.find('\n')) != std::string::npos;) {
      add_line(partial.substr(0, nl));
      partial.erase(0, nl + 1);
    }
    changed.notify_all();
  }

  void close() {
    std::lock_guard lock(mutex);
    if (!partial.empty()) add_line(std::exchange(partial, {}));
    closed = true;
    changed.notify_all();
  }

  // Until the writer's end is closed (EOF) or `deadline`.
  void wait_closed(SteadyClock::time_point deadline) {
    std::unique_lock lock(mutex);
    changed.wait_until(lock, deadline, [this] { return closed; });
  }

  std::string snapshot() const {
    std::lock_guard lock(mutex);
    std::string s = text;
    if (dropped > 0) s += "[" + std::to_string(dropped) + " more bytes not kept]\n";
    return s;
  }
};

// Reads one pipe until EOF or until told to stop (a descendant that left the group may keep
// the pipe open; the harness must not wait for it).
void pump(int fd, Capture& capture, const std::atomic<bool>& stop) {
  char buffer[4096];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, 100);
    if (ready < 0 && errno != EINTR) break;
    if (ready > 0) {
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) break;
      if (n > 0) capture.add(buffer, static_cast<std::size_t>(n));
      continue;
    }
    if (stop.load()) break;
  }
  ::close(fd);
  capture.close();
}

bool port_accepts(std::uint16_t port) {
  const int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(s, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  ::close(s);
  return ok;
}


std::string seconds(std::chrono::milliseconds ms) {
  const auto whole = ms.count() / 1000;
  const auto rest = ms.count() % 1000;
  return std::to_string(whole) + (rest != 0 ? "." + std::to_string(1000 + rest).substr(1) : std::string()) + " s";
}

}  // namespace

bool process_group_alive(int pgid) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(entry.path() / "stat");
    std::string stat;
    if (!std::getline(in, stat)) continue;
    // "pid (comm) state ppid pgrp ...": comm may hold anything, so read after the last ')'.
    const std::size_t close = stat.rfind(')');
    if (close == std::string::npos) continue;
    char state = 0;
    long ppid = 0;
    long pgrp = 0;
    if (std::sscanf(stat.c_str() + close + 1, " %c %ld %ld", &state, &ppid, &pgrp) != 3) continue;
    if (pgrp == pgid && state != 'Z' && state != 'X') return true;
  }
  return false;
}

struct SutProcess::Impl {
  LaunchSpec spec;
  std::string command;
  bp::child child;
  int pid = -1;
  std::mutex mutex;  // child, status
  std::optional<ExitStatus> status;
  bool killed = false;
  bool stopped = false;
  SteadyClock::time_point started;
  std::chrono::nanoseconds ready_after{0};
  Capture out;
  Capture err;
  std::atomic<bool> stop_pumps{false};
  std::thread out_pump;
  std::thread err_pump;

  std::optional<ExitStatus> poll_exit() {
    std::lock_guard lock(mutex);
    if (status) return status;
    std::error_code ec;
    if (child.running(ec)) return std::nullopt;
    status = ExitStatus::from_wait_status(child.native_exit_code());
    // What it wrote just before it ended belongs to how it ended: let the pipes drain (not
    // long: a child it left behind may hold them open).
    const auto drained = SteadyClock::now() + 1s;
    out.wait_closed(drained);
    err.wait_closed(drained);
    return status;
  }

  // Until `done` or the deadline; false when the deadline came first.
  template <class Done>
  static bool wait_until(SteadyClock::time_point deadline, Done done) {
    while (!done()) {
      if (SteadyClock::now() >= deadline) return false;
      std::this_thread::sleep_for(10ms);
    }
    return true;
  }

  ExitStatus stop() {
    if (stopped) return *status;
    const auto deadline = SteadyClock::now() + spec.stop_timeout;
    if (!poll_exit() || process_group_alive(pid)) ::kill(-pid, SIGTERM);
    const auto all_gone = [&] { return poll_exit().has_value() && !process_group_alive(pid); };
    if (!wait_until(deadline, all_gone)) {
      killed = true;
      ::kill(-pid, SIGKILL);
      wait_until(SteadyClock::now() + std::max(spec.stop_timeout, std::chrono::milliseconds(2'000)), all_gone);
    }
    {
      std::lock_guard lock(mutex);
      if (!status) {
        std::error_code ec;
        child.wait(ec);
        status = ExitStatus::from_wait_status(child.native_exit_code());
      }
    }
    // Give the pipes a moment to drain what the group wrote before it ended.
    stop_pumps = true;
    if (out_pump.joinable()) out_pump.join();
    if (err_pump.joinable()) err_pump.join();
    stopped = true;
    return *status;
  }

  bool ready_holds() {
    switch (spec.ready.kind) {
      case ReadyCondition::Kind::started:
        return true;
      case ReadyCondition::Kind::file: {
        std::error_code ec;
        return std::filesystem::exists(spec.ready.file, ec);
      }
      case ReadyCondition::Kind::port:
        return port_accepts(spec.ready.port);
      case ReadyCondition::Kind::stdout_match: {
        const std::regex pattern(spec.ready.stdout_pattern);
        std::lock_guard lock(out.mutex);
        std::size_t begin = 0;
        for (std::size_t nl; (nl = out.text.find('\n', begin)) != std::string::npos; begin = nl + 1) {
          if (std::regex_search(out.text.substr(begin, nl - begin), pattern)) return true;
        }
        return !out.partial.empty() && std::regex_search(redact_log_line(out.partial), pattern);
      }
    }
    return false;
  }
};

SutProcess::SutProcess(LaunchSpec spec) : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  s.spec = std::move(spec);
  if (s.spec.command.empty()) throw Error(ErrorCode::config, "the SUT command is empty", s.spec.where);
  s.command = joined(s.spec.command);
  if (s.spec.ready.kind == ReadyCondition::Kind::stdout_match) {
    try {
      (void)std::regex(s.spec.ready.stdout_pattern);
    } catch (const std::regex_error& e) {
      throw Error(ErrorCode::config, "ready stdout pattern is not a regular expression: " + std::string(e.what()),
                  s.spec.where);
    }
  }

  boost::filesystem::path program(s.spec.command.front());
  if (s.spec.command.front().find('/') == std::string::npos) {
    program = bp::search_path(s.spec.command.front());
    if (program.empty()) {
      throw Error(ErrorCode::not_found, "cannot start the SUT: '" + s.spec.command.front() + "' is not in PATH",
                  s.spec.where);
    }
  }
  bp::environment env = boost::this_process::environment();
  // set(), not env[name]: Boost 1.74's operator[] reads past a shorter "NAME=VALUE" entry
  // (ASan heap-buffer-overflow under scripts/sanitize.sh); set() compares sizes first.
  for (const auto& [name, value] : s.spec.env) env.set(name, value);
  const std::vector<std::string> args(s.spec.command.begin() + 1, s.spec.command.end());
  const std::filesystem::path cwd = s.spec.cwd.empty() ? std::filesystem::current_path() : s.spec.cwd;

  bp::pipe out_pipe;
  bp::pipe err_pipe;
  try {
    s.child = bp::child(program, bp::args(args), env, bp::start_dir(cwd.string()), bp::std_in < bp::null,
                        bp::std_out > out_pipe, bp::std_err > err_pipe, SutChildSetup{});
  } catch (const std::exception& e) {
    throw Error(ErrorCode::io, "cannot start the SUT '" + s.command + "': " + e.what(), s.spec.where);
  }
  s.started = SteadyClock::now();
  s.pid = s.child.id();
  // The group exists from the child's setpgid; set it here too so a signal sent at once reaches it.
  ::setpgid(s.pid, s.pid);
  // The parent keeps only the read ends.
  ::close(out_pipe.native_sink());
  out_pipe.assign_sink(-1);
  ::close(err_pipe.native_sink());
  err_pipe.assign_sink(-1);
  const int out_fd = out_pipe.native_source();
  out_pipe.assign_source(-1);
  const int err_fd = err_pipe.native_source();
  err_pipe.assign_source(-1);
  s.out_pump = std::thread(pump, out_fd, std::ref(s.out), std::cref(s.stop_pumps));
  s.err_pump = std::thread(pump, err_fd, std::ref(s.err), std::cref(s.stop_pumps));

  const auto deadline = s.started + s.spec.ready_timeout;
  for (;;) {
    if (s.ready_holds()) break;
    if (const auto ended = s.poll_exit()) {
      // What it printed before it exited may still be in the pipe, not yet read by the pump
      // (a leader that prints "ready" and exits, leaving a child): give the pump a moment.
      const auto drain_until = SteadyClock::now() + 500ms;
      bool ready_after_all = false;
      while (!(ready_after_all = s.ready_holds()) && SteadyClock::now() < drain_until) {
        std::unique_lock lock(s.out.mutex);
        s.out.changed.wait_for(lock, 20ms);
      }
      if (ready_after_all) break;
      s.stop();
      const std::string tail = last_lines(s.err.snapshot(), 5);
      throw Error(ErrorCode::state,
                  "the SUT '" + s.command + "' ended before it was ready (" + s.spec.ready.describe() + "): " +
                      ended->describe() + (tail.empty() ? "" : "; its stderr ends: " + tail),
                  s.spec.where);
    }
    if (SteadyClock::now() >= deadline) {
      s.stop();
      throw Error(ErrorCode::timeout,
                  "the SUT '" + s.command + "' was not ready within ready_timeout " + seconds(s.spec.ready_timeout) +
                      ": " + s.spec.ready.describe() + " never held",
                  s.spec.where);
    }
    std::unique_lock lock(s.out.mutex);
    s.out.changed.wait_for(lock, 20ms);
  }
  s.ready_after = SteadyClock::now() - s.started;
}

SutProcess::~SutProcess() {
  try {
    impl_->stop();
  } catch (...) {
  }
}

const LaunchSpec& SutProcess::spec() const { return impl_->spec; }
int SutProcess::pid() const { return impl_->pid; }
std::chrono::nanoseconds SutProcess::ready_after() const { return impl_->ready_after; }
std::optional<ExitStatus> SutProcess::exited() { return impl_->poll_exit(); }
ExitStatus SutProcess::stop() { return impl_->stop(); }
bool SutProcess::was_killed() const { return impl_->killed; }
std::string SutProcess::stdout_text() const { return impl_->out.snapshot(); }
std::string SutProcess::stderr_text() const { return impl_->err.snapshot(); }

}  // namespace onshi::sut
