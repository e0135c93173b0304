// The live line (docs/optest.md): on a terminal it shows the current check, n/m and the
// elapsed time, and is erased before the check's row is printed and while a prompt is shown;
// elsewhere it writes nothing, so a CI log has only the table's plain lines.
#include <gtest/gtest.h>

#include <sstream>

#include "onshi/optest/live_line.hpp"

namespace onshi::optest {
namespace {

using namespace std::chrono_literals;

run::RunStarted two_checks() { return run::RunStarted{"optest", {"preflight.doctor", "reception.pin"}, {}, {}}; }

TEST(LiveLine, ShowsTheCurrentCheckWithNOfMAndErasesItselfWhenTheCheckEnds) {
  std::ostringstream out;
  {
    LiveLine line(out, true, 10s);  // redraws only on events here
    line.run_started(two_checks());
    line.phase_started({"optest", "reception.pin", 1});
    EXPECT_NE(line.text().find("[2/2] reception.pin"), std::string::npos) << line.text();
    EXPECT_NE(line.text().find(" s"), std::string::npos) << line.text();
    EXPECT_NE(out.str().find("\r\x1B[K  \xE2\x96\xB6 [2/2] reception.pin"), std::string::npos);
    line.phase_ended({"optest", 1, {}});
    EXPECT_EQ(line.text(), "");
    EXPECT_TRUE(out.str().ends_with("\r\x1B[K")) << "the row that follows starts on a clean line";
  }
}

TEST(LiveLine, StepsAsideForAPromptAndComesBack) {
  std::ostringstream out;
  LiveLine line(out, true, 10s);
  line.run_started(two_checks());
  line.phase_started({"optest", "preflight.doctor", 0});
  line.pause(true);
  EXPECT_TRUE(out.str().ends_with("\r\x1B[K"));
  const std::size_t before = out.str().size();
  line.pause(false);
  EXPECT_NE(out.str().substr(before).find("[1/2] preflight.doctor"), std::string::npos);
}

TEST(LiveLine, WritesNothingWhenTheOutputIsNotATerminal) {
  std::ostringstream out;
  {
    LiveLine line(out, false);
    line.run_started(two_checks());
    line.phase_started({"optest", "preflight.doctor", 0});
    line.pause(true);
    line.pause(false);
    line.phase_ended({"optest", 0, {}});
  }
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace onshi::optest
