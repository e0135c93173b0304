#include "onshi/sut/sut_process.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <thread>

#include "onshi/core/error.hpp"

namespace onshi::sut {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

LaunchSpec shell(const std::string& script) {
  LaunchSpec spec;
  spec.command = {"/bin/sh", "-c", script};
  spec.ready_timeout = 60s;  // generous: the machine is shared; every wait here is event-driven
  spec.stop_timeout = 5s;
  spec.where = "test.toml:1: [sut]";
  return spec;
}

LaunchSpec ready_on_stdout(const std::string& script, const std::string& pattern = "^ready$") {
  LaunchSpec spec = shell(script);
  spec.ready.kind = ReadyCondition::Kind::stdout_match;
  spec.ready.stdout_pattern = pattern;
  return spec;
}

// Waits for the process to end by itself, bounded so a test never hangs.
std::optional<ExitStatus> wait_for_exit(SutProcess& p, std::chrono::seconds limit = 60s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto s = p.exited()) return s;
    std::this_thread::sleep_for(10ms);
  }
  return std::nullopt;
}

fs::path temp_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("onshi-sut-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

template <class F>
Error error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no Error thrown";
  return Error(ErrorCode::state, "none");
}

TEST(SutProcess, ReadyOnAStdoutLineCapturesOutputAndStopsTheGroupWithSigterm) {
  SutProcess p(ready_on_stdout("echo hello; echo oops >&2; echo ready; exec sleep 300"));
  EXPECT_GT(p.pid(), 0);
  EXPECT_FALSE(p.exited());
  EXPECT_TRUE(process_group_alive(p.pid()));
  const ExitStatus s = p.stop();
  EXPECT_EQ(s.signal, SIGTERM) << s.describe();
  EXPECT_FALSE(p.was_killed());
  EXPECT_FALSE(process_group_alive(p.pid()));
  EXPECT_EQ(p.stdout_text(), "hello\nready\n");
  EXPECT_EQ(p.stderr_text(), "oops\n");
  EXPECT_EQ(p.stop().signal, SIGTERM);  // idempotent
}

TEST(SutProcess, ReadyWhenAFileAppears) {
  const fs::path dir = temp_dir("file");
  LaunchSpec spec = shell("sleep 0.2; touch \"$PWD/ready.flag\"; exec sleep 300");
  spec.cwd = dir;
  spec.ready.kind = ReadyCondition::Kind::file;
  spec.ready.file = dir / "ready.flag";
  SutProcess p(spec);
  EXPECT_TRUE(fs::exists(dir / "ready.flag"));
  EXPECT_GE(p.ready_after(), 200ms);
  p.stop();
  EXPECT_FALSE(process_group_alive(p.pid()));
  fs::remove_all(dir);
}

TEST(SutProcess, ReadyWhenAPortAcceptsConnections) {
  // The test listens on an ephemeral port a little after the SUT starts: the launcher must
  // wait for the port, not for the process.
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
  // When the port began to listen, against when the launcher said the SUT was ready (not
  // ready_after(), which counts from the launch: the thread's sleep starts before it).
  std::atomic<std::chrono::steady_clock::rep> listening_since{0};
  std::thread later([listener, &listening_since] {
    std::this_thread::sleep_for(300ms);
    listening_since = std::chrono::steady_clock::now().time_since_epoch().count();
    ::listen(listener, 4);
  });
  LaunchSpec spec = shell("exec sleep 300");
  spec.ready.kind = ReadyCondition::Kind::port;
  spec.ready.port = ntohs(address.sin_port);
  SutProcess p(spec);
  const auto ready_at = std::chrono::steady_clock::now().time_since_epoch().count();
  later.join();
  EXPECT_GE(ready_at, listening_since.load()) << "the launcher said ready before the port listened";
  p.stop();
  ::close(listener);
}

TEST(SutProcess, NeverReadyIsATimeoutNamingTheConditionAndNothingIsLeft) {
  LaunchSpec spec = shell("exec sleep 300");
  spec.ready.kind = ReadyCondition::Kind::file;
  spec.ready.file = "/nonexistent/onshi-ready";
  spec.ready_timeout = 500ms;
  const Error e = error_of([&] { SutProcess p(spec); });
  EXPECT_EQ(e.code(), ErrorCode::timeout);
  EXPECT_NE(std::string(e.what()).find("ready = { file = \"/nonexistent/onshi-ready\" }"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("ready_timeout 0.500 s"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("test.toml:1: [sut]"), std::string::npos) << e.what();
}

TEST(SutProcess, EndingBeforeReadyNamesTheExitCodeAndStderr) {
  const Error e = error_of([&] { SutProcess p(ready_on_stdout("echo 'no such folder: /x' >&2; exit 3")); });
  EXPECT_EQ(e.code(), ErrorCode::state);
  EXPECT_NE(std::string(e.what()).find("exit code 3"), std::string::npos) << e.what();
  EXPECT_NE(std::string(e.what()).find("no such folder: /x"), std::string::npos) << e.what();
}

TEST(SutProcess, ACrashMidRunIsSeenWithItsSignal) {
  SutProcess p(ready_on_stdout("echo ready; sleep 0.2; kill -SEGV $$"));
  const auto s = wait_for_exit(p);
  ASSERT_TRUE(s.has_value()) << "the SUT did not end";
  EXPECT_EQ(s->signal, SIGSEGV);
  EXPECT_EQ(s->describe(), "signal 11 (SIGSEGV)");
  EXPECT_EQ(p.stop().signal, SIGSEGV);  // stop() after the end keeps the status
}

TEST(SutProcess, OneThatIgnoresSigtermIsKilledAfterStopTimeout) {
  LaunchSpec spec = ready_on_stdout("trap '' TERM; echo ready; while :; do sleep 0.05; done");
  spec.stop_timeout = 500ms;
  SutProcess p(spec);
  const auto before = std::chrono::steady_clock::now();
  const ExitStatus s = p.stop();
  EXPECT_GE(std::chrono::steady_clock::now() - before, 500ms);
  EXPECT_TRUE(p.was_killed());
  EXPECT_EQ(s.signal, SIGKILL) << s.describe();
  EXPECT_FALSE(process_group_alive(p.pid()));
}

TEST(SutProcess, AChildLeftBehindByTheLeaderIsStoppedToo) {
  SutProcess p(ready_on_stdout("sleep 300 & echo ready; exit 0"));
  const auto s = wait_for_exit(p);
  ASSERT_TRUE(s.has_value());
  EXPECT_TRUE(s->clean());
  EXPECT_TRUE(process_group_alive(p.pid())) << "the background sleep should still run";
  EXPECT_EQ(p.stop().exit_code, 0);
  EXPECT_FALSE(process_group_alive(p.pid()));
}

TEST(SutProcess, EnvAndCwdReachTheSutAndItsOutputIsRedacted) {
  const fs::path dir = temp_dir("env");
  LaunchSpec spec = ready_on_stdout("echo \"$ONSHI_SUT_GREETING in $(pwd)\"; echo 'PIN: 1234 card 123456789012'; echo ready; exec sleep 300");
  spec.env = {{"ONSHI_SUT_GREETING", "konnichiwa"}};
  spec.cwd = dir;
  SutProcess p(spec);
  p.stop();
  EXPECT_NE(p.stdout_text().find("konnichiwa in " + dir.string()), std::string::npos) << p.stdout_text();
  EXPECT_NE(p.stdout_text().find("PIN: **** card **********12"), std::string::npos) << p.stdout_text();
  EXPECT_EQ(p.stdout_text().find("1234 "), std::string::npos) << p.stdout_text();
  fs::remove_all(dir);
}

TEST(SutProcess, AProgramNotInPathIsNamed) {
  LaunchSpec spec;
  spec.command = {"onshi-no-such-receipt-computer", "--x"};
  spec.where = "test.toml:1: [sut]";
  const Error e = error_of([&] { SutProcess p(spec); });
  EXPECT_EQ(e.code(), ErrorCode::not_found);
  EXPECT_NE(std::string(e.what()).find("'onshi-no-such-receipt-computer' is not in PATH"), std::string::npos) << e.what();
}

TEST(SutProcess, AProgramThatCannotBeExecutedIsAnIoError) {
  LaunchSpec spec;
  spec.command = {"/nonexistent/receipt-computer"};
  spec.where = "test.toml:1: [sut]";
  const Error e = error_of([&] { SutProcess p(spec); });
  EXPECT_EQ(e.code(), ErrorCode::io);
  EXPECT_NE(std::string(e.what()).find("/nonexistent/receipt-computer"), std::string::npos) << e.what();
}

}  // namespace
}  // namespace onshi::sut
