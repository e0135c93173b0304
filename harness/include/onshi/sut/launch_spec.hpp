#pragma once
// How to start a system under test (a vendor's receipt computer or terminal program) and
// how to tell it is ready: what a rig's [sut] table says (docs/sut.md).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace onshi::sut {

// When a started SUT counts as ready to be tested.
struct ReadyCondition {
  enum class Kind {
    started,       // as soon as it runs (no `ready` in the rig)
    file,          // a file exists
    port,          // something accepts TCP connections on 127.0.0.1:port
    stdout_match,  // a line it writes to stdout matches a regular expression (ECMAScript)
  };
  Kind kind = Kind::started;
  std::filesystem::path file;
  std::uint16_t port = 0;
  std::string stdout_pattern;

  // As the rig writes it, for messages: `ready = { file = "/x/ready" }`.
  std::string describe() const;
};

struct LaunchSpec {
  std::vector<std::string> command;  // argv; argv[0] is looked up in PATH unless it has a '/'
  std::vector<std::pair<std::string, std::string>> env;  // added to (or replacing in) the harness's environment
  std::filesystem::path cwd;                             // empty: the harness's working directory
  ReadyCondition ready;
  std::chrono::milliseconds ready_timeout{30'000};
  std::chrono::milliseconds stop_timeout{5'000};  // after SIGTERM, then SIGKILL
  std::string where;                              // "rigs/x.toml:12: [sut]", for messages
};

}  // namespace onshi::sut
