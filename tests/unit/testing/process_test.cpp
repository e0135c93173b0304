// onshi::testing's process runner: output and exit codes captured, stdin fed, a child that
// outlives its timeout stopped (SIGKILL when it ignores SIGTERM), nothing left running.
#include "onshi/testing/process.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

namespace onshi::testing {
namespace {

using namespace std::chrono_literals;

bool process_exists(int pid) { return ::kill(pid, 0) == 0 || errno != ESRCH; }

TEST(RunProcess, CapturesStdoutStderrAndTheExitCode) {
  const ProcessResult r = run_shell("echo out; echo err >&2; exit 3");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  EXPECT_FALSE(r.succeeded());
  EXPECT_NE(r.describe().find("exit 3"), std::string::npos) << r.describe();
}

TEST(RunProcess, FeedsStdinAndMergesStderrWhenAsked) {
  const std::string big(200'000, 'x');  // more than a pipe holds: reads and writes interleave
  const ProcessResult r = run_process({"cat"}, {.stdin_data = big});
  EXPECT_TRUE(r.succeeded()) << r.describe();
  EXPECT_EQ(r.out, big);
  const ProcessResult merged = run_shell("echo a; echo b >&2", {.merge_stderr = true});
  EXPECT_EQ(merged.out, "a\nb\n");
  EXPECT_EQ(merged.err, "");
}

TEST(RunProcess, PassesExtraEnvironment) {
  const ProcessResult r = run_shell("printf %s \"$ONSHI_PROCESS_TEST\"", {.environment = {{"ONSHI_PROCESS_TEST", "set"}}});
  EXPECT_EQ(r.out, "set");
}

TEST(RunProcess, ATimeoutEndsTheChildWithSigterm) {
  const ProcessResult r = run_process({"sleep", "30"}, {.timeout = 200ms});
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.exit_code, 128 + SIGTERM);
  EXPECT_NE(r.describe().find("timed out"), std::string::npos) << r.describe();
}

TEST(RunProcess, AChildIgnoringSigtermIsKilled) {
  // The shell ignores TERM and so does the sleep it runs (exec keeps the disposition).
  const ProcessResult r = run_shell("trap '' TERM; echo ready; exec sleep 30", {.timeout = 300ms, .stop_grace = 200ms});
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.exit_code, 128 + SIGKILL);
  EXPECT_EQ(r.out, "ready\n");  // what it wrote before it was killed is kept
}

// The test process ignores SIGPIPE, but a child must not inherit that: a server that dies of
// a peer hanging up must die in a test as it would in production.
TEST(RunProcess, ChildrenStartWithSigpipesDefaultAction) {
  const ProcessResult r = run_process({"grep", "^SigIgn:", "/proc/self/status"});
  ASSERT_TRUE(r.succeeded()) << r.describe();
  const unsigned long ignored = std::stoul(r.out.substr(r.out.find(':') + 1), nullptr, 16);
  EXPECT_EQ(ignored & (1ul << (SIGPIPE - 1)), 0ul) << r.out;
}

TEST(RunProcess, AMissingProgramIsExitCode127) {
  const ProcessResult r = run_process({"onshi-no-such-program"});
  EXPECT_EQ(r.exit_code, 127);
  EXPECT_NE(r.err.find("onshi-no-such-program"), std::string::npos) << r.err;
}

class ChildProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = std::filesystem::temp_directory_path() / ("onshi-child-" + std::to_string(::getpid()) + ".log");
  }
  void TearDown() override { std::filesystem::remove(log_); }
  std::filesystem::path log_;
};

TEST_F(ChildProcessTest, WaitsForOutputAndStopsWithSigterm) {
  ChildProcess child({"/bin/sh", "-c", "echo listening on port 4242; exec sleep 30"}, log_);
  std::vector<std::string> groups;
  ASSERT_TRUE(child.wait_for_output(std::regex("port ([0-9]+)"), 10s, &groups));
  EXPECT_EQ(groups.at(1), "4242");
  EXPECT_TRUE(child.running());
  EXPECT_EQ(child.stop(), 128 + SIGTERM);
  EXPECT_FALSE(child.running());
  EXPECT_EQ(child.stop(), 128 + SIGTERM);  // again: the same answer, nothing to do
}

TEST_F(ChildProcessTest, AWaitThatFailsSaysWhatTheChildWrote) {
  ChildProcess child({"/bin/sh", "-c", "echo something else; exit 4"}, log_);
  const ::testing::AssertionResult r = child.wait_for_output(std::regex("listening"), 10s);
  EXPECT_FALSE(r);
  EXPECT_NE(std::string(r.message()).find("exited with 4"), std::string::npos) << r.message();
  EXPECT_NE(std::string(r.message()).find("something else"), std::string::npos) << r.message();
  EXPECT_EQ(child.wait_for_exit(1s), 4);
}

TEST_F(ChildProcessTest, TheDestructorKillsAndReapsAChildIgnoringSigterm) {
  int pid = 0;
  {
    ChildProcess child({"/bin/sh", "-c", "trap '' TERM; echo ready; exec sleep 30"}, log_);
    ASSERT_TRUE(child.wait_for_output(std::regex("ready"), 10s));
    pid = child.pid();
    EXPECT_EQ(child.stop(200ms), 128 + SIGKILL);
  }
  EXPECT_FALSE(process_exists(pid));
  {
    ChildProcess child({"sleep", "30"}, log_);
    pid = child.pid();
  }  // no stop(): the destructor does it
  EXPECT_FALSE(process_exists(pid));
}

TEST_F(ChildProcessTest, SeparateErrorFileAndAMissingProgramThrows) {
  const auto err = std::filesystem::path(log_.string() + ".err");
  {
    ChildProcess child({"/bin/sh", "-c", "echo to-out; echo to-err >&2"}, log_, {}, err);
    EXPECT_EQ(child.wait_for_exit(10s), 0);
    EXPECT_EQ(child.output(), "to-out\n");
    EXPECT_EQ(child.errors(), "to-err\n");
  }
  std::filesystem::remove(err);
  EXPECT_THROW(ChildProcess({"onshi-no-such-program"}, log_), std::runtime_error);
}

}  // namespace
}  // namespace onshi::testing
