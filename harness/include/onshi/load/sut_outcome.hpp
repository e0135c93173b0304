#pragma once
// How a system under test came through a load run (docs/load.md, "A receipt computer under
// load"): in summary.json `sut`, and each problem a reason of the run's failed verdict.
#include <cstdint>
#include <string>
#include <vector>

namespace onshi::load {

struct SutOutcome {
  std::string sut;                     // its description ("launched: …", "external")
  double ready_ms = 0;                 // until it was ready (launched)
  std::string exit;                    // how it ended: "exit code 0", "signal 15 (SIGTERM)", "external"
  std::int64_t faces_taken_up = 0;     // face files it took up within consume_deadline_ms
  std::int64_t faces_not_taken_up = 0; // … and not (left lying, or it ended first)
  std::int64_t requests_answered = 0;  // its requests the harness's terminal answered
  std::int64_t requests_refused = 0;   // … and refused (malformed, wrong encoding)
  std::int64_t files_rejected = 0;     // files its own journal ([sut] journal) rejected
  std::int64_t files_left = 0;         // face/ and res/ files still lying when it was stopped
  std::vector<std::string> problems;   // each fails the run, named
};

}  // namespace onshi::load
