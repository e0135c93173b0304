#pragma once
// A system under test as a running process (docs/sut.md): started through Boost.Process in a
// process group of its own, stdout and stderr captured line by line (redacted,
// onshi/sut/log_redaction.hpp), waited for until its ready condition holds, and stopped with
// SIGTERM to the whole group, then SIGKILL once stop_timeout has passed. Nothing it started
// outlives stop() or the destructor, unless it left its process group on purpose.
//
//   sut::SutProcess rc(spec);                    // throws when it cannot start or never gets ready
//   if (auto ended = rc.exited()) fail("the SUT ended: " + ended->describe());
//   const sut::ExitStatus status = rc.stop();
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "onshi/sut/exit_status.hpp"
#include "onshi/sut/launch_spec.hpp"

namespace onshi::sut {

class SutProcess {
 public:
  // Starts the command and waits for spec.ready. Throws Error naming spec.where and the command:
  // not_found (no such program), io (it cannot be started), timeout (the ready condition did
  // not hold within ready_timeout: the error names the condition and the timeout), state (it
  // exited before it was ready: the error names its exit code or signal and the end of its
  // stderr). Whatever was started is stopped before the throw.
  explicit SutProcess(LaunchSpec spec);
  ~SutProcess();
  SutProcess(const SutProcess&) = delete;
  SutProcess& operator=(const SutProcess&) = delete;

  const LaunchSpec& spec() const;
  int pid() const;  // also its process group id
  // From the start until the ready condition held.
  std::chrono::nanoseconds ready_after() const;

  // How it ended, once the leader has exited (it is reaped here); nullopt while it runs.
  std::optional<ExitStatus> exited();
  // SIGTERM to the group, SIGKILL to the group after stop_timeout; returns once the leader is
  // reaped and no live process of the group is left (or, for a member that survives even
  // SIGKILL, after another stop_timeout). Idempotent: returns the same status again.
  ExitStatus stop();
  // True when stop() had to send SIGKILL.
  bool was_killed() const;

  // What it wrote so far, redacted, one line per '\n' (at most 1 MiB each; the rest is counted).
  std::string stdout_text() const;
  std::string stderr_text() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True while any process of group `pgid` is alive (zombies excluded), from /proc.
bool process_group_alive(int pgid);

}  // namespace onshi::sut
