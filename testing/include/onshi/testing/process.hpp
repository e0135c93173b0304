#pragma once
// Child processes for tests, through Boost.Process: run a command to completion with its
// stdout, stderr and exit code captured (run_process), or keep one running in the background
// while the test talks to it (ChildProcess). Every child has a bounded life: when its time
// is up it gets SIGTERM, and SIGKILL if it has not stopped within the grace period; a
// ChildProcess's destructor does the same and reaps it, so no test leaves a process behind.
//
//   const auto r = onshi::testing::run_process({"curl", "-sS", url}, {.timeout = 10s});
//   EXPECT_TRUE(r.succeeded()) << r.describe();
//
//   onshi::testing::ChildProcess mock({cli, "mock", "ons", "--port", "0"}, dir / "mock.log");
//   std::vector<std::string> port;
//   ASSERT_TRUE(mock.wait_for_output(std::regex("listening on https://[^:]+:([0-9]+)"), 60s, &port));
//
// argv[0] is looked up in PATH unless it contains a '/'. One that cannot be started gives
// exit code 127 from run_process (as a shell does) and std::runtime_error from ChildProcess.
// Writing to a child that has closed its stdin must not kill the test, so the first use sets
// SIGPIPE to ignored in the test process; every child still starts with SIGPIPE's default
// action, so a child that mishandles a closed peer dies of it as it would in production.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <utility>
#include <vector>

namespace onshi::testing {

// Variables added to (or replacing in) the test's own environment for the child.
using Environment = std::vector<std::pair<std::string, std::string>>;

struct ProcessOptions {
  std::string stdin_data{};                        // written to the child's stdin, then closed
  std::chrono::milliseconds timeout{10'000};       // then SIGTERM ...
  std::chrono::milliseconds stop_grace{2'000};     // ... and SIGKILL after this much more
  Environment environment{};
  bool merge_stderr = false;                       // stderr into `out`, in order
};

struct ProcessResult {
  std::string command;   // argv joined by spaces, for messages
  int exit_code = -1;    // the child's exit status; 128 + N when signal N ended it
  bool timed_out = false;
  std::string out;
  std::string err;

  bool succeeded() const { return !timed_out && exit_code == 0; }
  // "curl -sS ...: exit 7; stderr: ..." or "...: timed out after 10000 ms ...", for failures.
  std::string describe() const;
};

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});
// `command` through /bin/sh -c (for pipelines and redirections).
ProcessResult run_shell(const std::string& command, const ProcessOptions& options = {});

// A child that runs in the background. stdin is /dev/null; stdout goes to `output_file`
// and stderr to `error_file` (to `output_file` too when that is empty).
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& output_file,
               const Environment& environment = {}, const std::filesystem::path& error_file = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  int pid() const;
  bool running();
  void send_signal(int signal);
  // SIGTERM, then SIGKILL when it is still running after `grace`; reaps it. Returns the exit
  // code as ProcessResult::exit_code does. Safe to call again (returns the same code).
  int stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5'000));
  // Its exit code once it exits by itself, nullopt when `timeout` runs out first (it keeps
  // running: stop() or the destructor ends it).
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);

  std::string output() const;  // what it has written to output_file so far
  std::string errors() const;  // ... and to error_file
  // Waits until output() matches `pattern`; the capture groups go to `groups` ([0] = the
  // whole match). On failure the result says what the child wrote and whether it exited.
  ::testing::AssertionResult wait_for_output(const std::regex& pattern, std::chrono::milliseconds timeout,
                                             std::vector<std::string>* groups = nullptr);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace onshi::testing
