#pragma once
// How a process ended, as a person reads it: "exit code 3", "signal 11 (SIGSEGV)".
#include <string>

namespace onshi::sut {

struct ExitStatus {
  int exit_code = 0;  // meaningful when signal == 0
  int signal = 0;     // the signal that ended it, 0 when it exited

  static ExitStatus from_wait_status(int status);
  bool clean() const { return signal == 0 && exit_code == 0; }
  std::string describe() const;
};

}  // namespace onshi::sut
