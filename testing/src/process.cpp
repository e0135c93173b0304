#include "onshi/testing/process.hpp"

#include <sys/wait.h>

#include <boost/asio/io_context.hpp>
#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <csignal>
#include <fstream>
#include <future>
#include <sstream>
#include <system_error>
#include <thread>

namespace onshi::testing {
namespace {

namespace bp = boost::process;
using namespace std::chrono_literals;

void ignore_sigpipe_once() {
  static const bool done = [] {
    std::signal(SIGPIPE, SIG_IGN);
    return true;
  }();
  (void)done;
}

// The test process ignores SIGPIPE, and an ignored signal stays ignored across exec: without
// this, no child could die of SIGPIPE, and a test of a server's peer robustness could never
// fail. Every child starts with SIGPIPE's default action, as it would in production.
struct DefaultSigpipeInChild : bp::extend::handler {
  template <class Executor>
  void on_exec_setup(Executor&) const {
    ::signal(SIGPIPE, SIG_DFL);
  }
};

std::string joined(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& a : argv) {
    if (!s.empty()) s += ' ';
    s += a;
  }
  return s;
}

boost::filesystem::path executable(const std::string& name) {
  if (name.find('/') != std::string::npos) return boost::filesystem::path(name);
  const boost::filesystem::path found = bp::search_path(name);
  if (found.empty()) throw std::runtime_error(name + ": not found in PATH");
  return found;
}

bp::environment child_environment(const Environment& extra) {
  bp::environment env = boost::this_process::environment();
  // set(), not env[name]: Boost 1.74's operator[] looks the name up with std::equal over each
  // "NAME=VALUE" C string without its length, reading past a shorter entry (ASan's
  // heap-buffer-overflow under scripts/sanitize.sh); set() compares sizes first.
  for (const auto& [name, value] : extra) env.set(name, value);
  return env;
}

// The exit code of a reaped child: its status, or 128 + the signal that ended it.
int exit_code_of(const bp::child& child) {
  const int status = child.native_exit_code();
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// SIGTERM, then SIGKILL after `grace`; returns once the child is reaped.
void terminate_and_reap(bp::child& child, std::chrono::milliseconds grace) {
  std::error_code ec;
  if (!child.running(ec)) return;
  ::kill(child.id(), SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (child.running(ec) && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
  // SIGKILL by hand: child::terminate() reaps without keeping the status.
  if (child.running(ec)) ::kill(child.id(), SIGKILL);
  if (child.valid() && child.joinable()) child.wait(ec);  // reaps, keeps the status
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string ProcessResult::describe() const {
  std::ostringstream s;
  s << command << ": ";
  if (timed_out) {
    s << "timed out (killed)";
  } else {
    s << "exit " << exit_code;
  }
  if (!out.empty()) s << "\nstdout:\n" << out;
  if (!err.empty()) s << "\nstderr:\n" << err;
  return s.str();
}

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
  if (argv.empty()) throw std::invalid_argument("run_process: empty argv");
  ignore_sigpipe_once();
  ProcessResult result;
  result.command = joined(argv);
  const std::vector<std::string> args(argv.begin() + 1, argv.end());

  boost::asio::io_context io;
  std::future<std::string> out;
  std::future<std::string> err;
  bp::async_pipe in(io);
  bp::child child;
  try {
    if (options.merge_stderr) {
      child = bp::child(executable(argv[0]), bp::args(args), DefaultSigpipeInChild{}, child_environment(options.environment), bp::std_in < in,
                        (bp::std_out & bp::std_err) > out, io);
    } else {
      child = bp::child(executable(argv[0]), bp::args(args), DefaultSigpipeInChild{}, child_environment(options.environment), bp::std_in < in,
                        bp::std_out > out, bp::std_err > err, io);
    }
  } catch (const std::exception& e) {
    // As a shell reports a command it cannot run, so probes for a tool read as a plain failure.
    result.exit_code = 127;
    (options.merge_stderr ? result.out : result.err) = std::string("cannot start ") + argv[0] + ": " + e.what();
    return result;
  }
  if (options.stdin_data.empty()) {
    in.close();
  } else {
    boost::asio::async_write(in, boost::asio::buffer(options.stdin_data),
                             [&in](const boost::system::error_code&, std::size_t) { in.close(); });
  }
  // The reads finish when the child closes its pipes, normally by exiting.
  io.run_for(options.timeout);
  if (!io.stopped()) {
    result.timed_out = true;
    terminate_and_reap(child, options.stop_grace);
    // Read now: Boost.Process's SIGCHLD handler, run below, stores -1 for a child reaped here.
    result.exit_code = exit_code_of(child);
    io.run_for(options.stop_grace);  // collect what it wrote before it died
    io.stop();
  } else {
    std::error_code ec;
    if (child.joinable()) child.wait(ec);
    result.exit_code = exit_code_of(child);
  }
  const auto take = [](std::future<std::string>& f) {
    return f.valid() && f.wait_for(0s) == std::future_status::ready ? f.get() : std::string();
  };
  result.out = take(out);
  if (!options.merge_stderr) result.err = take(err);
  return result;
}

ProcessResult run_shell(const std::string& command, const ProcessOptions& options) {
  return run_process({"/bin/sh", "-c", command}, options);
}

struct ChildProcess::Impl {
  std::string command;
  std::filesystem::path output_file;
  std::filesystem::path error_file;
  bp::child child;
  std::optional<int> exit_code;

  void note_exit() {
    if (!exit_code) exit_code = exit_code_of(child);
  }
};

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& output_file,
                           const Environment& environment, const std::filesystem::path& error_file)
    : impl_(std::make_unique<Impl>()) {
  if (argv.empty()) throw std::invalid_argument("ChildProcess: empty argv");
  ignore_sigpipe_once();
  impl_->command = joined(argv);
  impl_->output_file = output_file;
  impl_->error_file = error_file;
  const std::vector<std::string> args(argv.begin() + 1, argv.end());
  const boost::filesystem::path out(output_file.string());
  if (error_file.empty()) {
    impl_->child = bp::child(executable(argv[0]), bp::args(args), DefaultSigpipeInChild{}, child_environment(environment), bp::std_in < bp::null,
                             (bp::std_out & bp::std_err) > out);
  } else {
    impl_->child = bp::child(executable(argv[0]), bp::args(args), DefaultSigpipeInChild{}, child_environment(environment), bp::std_in < bp::null,
                             bp::std_out > out, bp::std_err > boost::filesystem::path(error_file.string()));
  }
}

ChildProcess::~ChildProcess() { stop(); }

int ChildProcess::pid() const { return impl_->child.id(); }

bool ChildProcess::running() {
  if (impl_->exit_code) return false;
  std::error_code ec;
  if (impl_->child.running(ec)) return true;
  impl_->note_exit();
  return false;
}

void ChildProcess::send_signal(int signal) {
  if (running()) ::kill(impl_->child.id(), signal);
}

int ChildProcess::stop(std::chrono::milliseconds grace) {
  if (!impl_->exit_code) {
    terminate_and_reap(impl_->child, grace);
    impl_->note_exit();
  }
  return *impl_->exit_code;
}

std::optional<int> ChildProcess::wait_for_exit(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(10ms);
  }
  return impl_->exit_code;
}

std::string ChildProcess::output() const { return read_file(impl_->output_file); }

std::string ChildProcess::errors() const {
  return impl_->error_file.empty() ? std::string() : read_file(impl_->error_file);
}

::testing::AssertionResult ChildProcess::wait_for_output(const std::regex& pattern, std::chrono::milliseconds timeout,
                                                         std::vector<std::string>* groups) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const std::string text = output();
    std::smatch match;
    if (std::regex_search(text, match, pattern)) {
      if (groups != nullptr) {
        groups->clear();
        for (const auto& g : match) groups->push_back(g.str());
      }
      return ::testing::AssertionSuccess();
    }
    const bool alive = running();
    if (!alive && std::regex_search(output(), pattern)) continue;  // written just before it exited
    if (!alive || std::chrono::steady_clock::now() >= deadline) {
      auto failure = ::testing::AssertionFailure() << impl_->command << ": the expected output did not appear ";
      if (alive) {
        failure << "within " << timeout.count() << " ms";
      } else {
        failure << "before it exited with " << *impl_->exit_code;
      }
      failure << "; it wrote:\n" << text;
      if (!impl_->error_file.empty()) failure << "\nstderr:\n" << errors();
      return failure;
    }
    std::this_thread::sleep_for(20ms);
  }
}

}  // namespace onshi::testing
