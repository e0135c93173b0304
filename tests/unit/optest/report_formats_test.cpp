// The HTML and Markdown reporters on a run of checks: every check with its verdict, reason and
// measurements (value, unit, limits, verdict); text that would break the format is escaped;
// the HTML needs nothing outside itself.
#include <gtest/gtest.h>

#include "onshi/report/html_reporter.hpp"
#include "onshi/report/markdown_reporter.hpp"

namespace onshi::report {
namespace {

run::RunResult checks() {
  run::RunResult r;
  r.name = "operational-test";
  r.attributes = {{"rig", "emulated"}, {"terminal_certificate_sha256", "AB:CD"}};
  run::PhaseResult passed;
  passed.name = "reception.pin";
  passed.verdict = run::PhaseVerdict::passed;
  passed.duration = std::chrono::microseconds(5250);
  passed.measurements.push_back(run::Measurement::of("identity_check_ms", 12.5, "ms", run::Limits::at_most(3000)));
  run::PhaseResult skipped;
  skipped.name = "load.smoke";
  skipped.verdict = run::PhaseVerdict::skipped;
  skipped.reason = "plug 'load <generator>' | not bound";
  r.phases = {passed, skipped};
  return r;
}

TEST(HtmlReporter, ShowsEveryCheckWithMeasurementsAndEscapes) {
  const std::string html = to_html({checks()}, "optest <emulated>");
  EXPECT_NE(html.find("<title>optest &lt;emulated&gt;</title>"), std::string::npos);
  EXPECT_NE(html.find("<td>reception.pin</td><td class=\"passed\">passed</td><td>5.250</td>"), std::string::npos) << html;
  EXPECT_NE(html.find("<td>identity_check_ms</td><td>12.5</td><td>ms</td><td>\u2264 3000</td><td class=\"pass\">pass</td>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("plug &#39;load &lt;generator&gt;&#39; | not bound"), std::string::npos) << html;
  EXPECT_NE(html.find("<code>AB:CD</code>"), std::string::npos);
  // Self-contained: no script, stylesheet link, image or remote URL.
  for (const char* outside : {"<script", "<link", "<img", "http://", "https://", "src="}) {
    EXPECT_EQ(html.find(outside), std::string::npos) << outside;
  }
}

TEST(MarkdownReporter, OneRowPerCheckAndAMeasurementTable) {
  const std::string md = to_markdown({checks()}, "optest");
  EXPECT_NE(md.find("| reception.pin | passed | 5.250 |  |\n"), std::string::npos) << md;
  EXPECT_NE(md.find("| load.smoke | skipped | 0.000 | plug 'load <generator>' \\| not bound |\n"), std::string::npos) << md;
  EXPECT_NE(md.find("### reception.pin\n\n| measurement | value | unit | limits | verdict |"), std::string::npos) << md;
  EXPECT_NE(md.find("| identity_check_ms | 12.5 | ms | \u2264 3000 | pass |"), std::string::npos) << md;
}

}  // namespace
}  // namespace onshi::report
