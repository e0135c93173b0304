#include "onshi/sut/exit_status.hpp"

#include <sys/wait.h>

#include <cstring>

namespace onshi::sut {

ExitStatus ExitStatus::from_wait_status(int status) {
  ExitStatus s;
  if (WIFSIGNALED(status)) {
    s.signal = WTERMSIG(status);
  } else if (WIFEXITED(status)) {
    s.exit_code = WEXITSTATUS(status);
  } else {
    s.exit_code = -1;
  }
  return s;
}

std::string ExitStatus::describe() const {
  if (signal == 0) return "exit code " + std::to_string(exit_code);
  const char* abbrev = ::sigabbrev_np(signal);
  return "signal " + std::to_string(signal) + (abbrev != nullptr ? " (SIG" + std::string(abbrev) + ")" : std::string());
}

}  // namespace onshi::sut
