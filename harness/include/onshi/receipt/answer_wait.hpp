#pragma once
// Waits for the terminal under test's answer in res/: the named file, once it is safe to read
// (renamed in, or unchanged for the settle time: onshi/terminal/folder_watcher.hpp), until a
// deadline on the given clock, and no longer than the terminal lives.
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "onshi/core/clock.hpp"

namespace onshi::receipt {

// "exit code 3" / "signal 9 (SIGKILL)" once the terminal under test has ended; nullopt while it
// runs (or when nobody knows: an external terminal).
using SutEnded = std::function<std::optional<std::string>()>;

struct AwaitedAnswer {
  enum class Outcome { arrived, deadline_passed, terminal_ended };
  Outcome outcome = Outcome::deadline_passed;
  std::filesystem::path file;  // arrived: where it is
  std::string terminal_end;    // terminal_ended: how it ended
  Duration waited{};
};

// Throws Error(io) naming res/ when it does not exist or cannot be watched.
AwaitedAnswer await_answer(const std::filesystem::path& res_dir, const std::string& name, Duration deadline,
                           std::chrono::milliseconds settle, const Clock& clock, const SutEnded& sut_ended);

}  // namespace onshi::receipt
