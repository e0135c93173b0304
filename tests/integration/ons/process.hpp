#pragma once
// Runs an independent client (curl, openssl) as a child process with a bounded lifetime
// (`timeout`), feeding stdin and capturing stdout/stderr. Test helper, POSIX only.
#include <string>
#include <vector>

namespace onshi::testing {

struct ProcessResult {
  int exit_code = -1;  // 124 when `timeout` killed it
  std::string out;
  std::string err;
};

// argv[0] is looked up in PATH; the child is wrapped as `timeout <seconds> argv...`.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& stdin_data = {},
                          int timeout_seconds = 10);

}  // namespace onshi::testing
