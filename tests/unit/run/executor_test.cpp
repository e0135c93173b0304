#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "onshi/core/error.hpp"
#include "onshi/run/executor.hpp"
#include "onshi/testing/test_clock.hpp"

namespace onshi::run {
namespace {

using namespace std::chrono_literals;

// Writes each event as one line, so a test can assert their order and content.
class RecordingSink final : public EventSink {
 public:
  std::vector<std::string> lines;
  void run_started(const RunStarted& e) override {
    std::string phases;
    for (const auto& p : e.phases) phases += (phases.empty() ? "" : ",") + p;
    lines.push_back("run_started " + e.run + " [" + phases + "]");
  }
  void phase_started(const PhaseStarted& e) override {
    lines.push_back("phase_started " + e.run + " " + e.phase + " #" + std::to_string(e.index));
  }
  void measurement_recorded(const MeasurementRecorded& e) override {
    lines.push_back("measurement " + e.phase + " " + e.measurement.name + "=" + format_value(e.measurement.value) +
                    " " + std::string(to_string(e.measurement.verdict)));
  }
  void phase_ended(const PhaseEnded& e) override {
    lines.push_back("phase_ended " + e.result.name + " " + std::string(to_string(e.result.verdict)));
  }
  void run_ended(const RunEnded& e) override {
    lines.push_back("run_ended " + e.result.name + (e.result.met_expectation() ? " met" : " not-met"));
  }
};

struct Reader {
  std::string name = "emulated";
};

class ExecutorTest : public ::testing::Test {
 protected:
  testing::TestClock clock_{WallTime{} + std::chrono::hours(24 * 365 * 56)};
  Executor executor_{clock_};

  Phase phase(std::string name, std::function<void(PhaseContext&)> body, std::vector<std::string> plugs = {}) {
    Phase p;
    p.name = std::move(name);
    p.body = std::move(body);
    p.plugs = std::move(plugs);
    return p;
  }
  Phase takes(std::string name, Duration d) {
    return phase(std::move(name), [this, d](PhaseContext&) { clock_.advance(d); });
  }
};

TEST_F(ExecutorTest, TimesEachPhaseOnTheMonotonicClock) {
  Plan plan;
  plan.name = "timed";
  plan.phases = {takes("first", 5ms), takes("second", 1500us)};
  const RunResult r = executor_.run(plan);
  ASSERT_EQ(r.phases.size(), 2u);
  EXPECT_EQ(r.phases[0].duration, 5ms);
  EXPECT_EQ(r.phases[1].duration, 1500us);
  EXPECT_EQ(r.total, 6500us);
  EXPECT_EQ(r.started, clock_.wall_now() - 6500us);
  const Measurement* ms = r.phases[1].measurement("duration_ms");
  ASSERT_NE(ms, nullptr);
  EXPECT_DOUBLE_EQ(std::get<double>(ms->value), 1.5);
  EXPECT_EQ(ms->unit, "ms");
  EXPECT_EQ(ms->verdict, MeasurementVerdict::unset);
  EXPECT_TRUE(r.all_phases_passed());
  EXPECT_TRUE(r.met_expectation());
}

TEST_F(ExecutorTest, AFailureStopsTheRunWhereThePhaseSaysSo) {
  Plan plan;
  plan.phases = {takes("a", 1ms), phase("b", [](PhaseContext&) { throw PhaseFailure{"b broke"}; }), takes("c", 1ms)};
  plan.skip_reason = "an earlier step failed";
  RunResult r = executor_.run(plan);
  EXPECT_EQ(r.phases[1].verdict, PhaseVerdict::failed);
  EXPECT_EQ(r.phases[1].reason, "b broke");
  EXPECT_EQ(r.phases[2].verdict, PhaseVerdict::skipped);
  EXPECT_EQ(r.phases[2].reason, "an earlier step failed");
  EXPECT_EQ(r.phases[2].duration, Duration::zero());
  EXPECT_TRUE(r.phases[2].measurements.empty());

  plan.phases[1].on_failure = OnFailure::continue_run;
  r = executor_.run(plan);
  EXPECT_EQ(r.phases[1].verdict, PhaseVerdict::failed);
  EXPECT_EQ(r.phases[2].verdict, PhaseVerdict::passed);
  EXPECT_FALSE(r.all_phases_passed());
}

TEST_F(ExecutorTest, APhaseWhosePlugIsNotBoundIsSkippedNamingThePlugNeverPassed) {
  Reader reader;
  bool ran = false;
  Plan plan;
  plan.plugs.bind("reader", reader);
  plan.phases = {phase("detect", [](PhaseContext& c) { c.detail("reader", c.plug<Reader>("reader").name); }, {"reader"}),
                 phase("lookup", [&](PhaseContext&) { ran = true; }, {"reader", "ons"}),
                 takes("after", 1ms)};
  const RunResult r = executor_.run(plan);
  EXPECT_EQ(r.phases[0].verdict, PhaseVerdict::passed);
  ASSERT_EQ(r.phases[0].details.size(), 1u);
  EXPECT_EQ(r.phases[0].details[0].second, "emulated");
  EXPECT_FALSE(ran);
  EXPECT_EQ(r.phases[1].verdict, PhaseVerdict::skipped);
  EXPECT_NE(r.phases[1].reason.find("plug 'ons'"), std::string::npos) << r.phases[1].reason;
  // It did not pass, so the run stops after it (its policy is stop_run) and is not a pass.
  EXPECT_EQ(r.phases[2].verdict, PhaseVerdict::skipped);
  EXPECT_FALSE(r.all_phases_passed());
  EXPECT_FALSE(r.met_expectation());
}

TEST_F(ExecutorTest, APlugOfAnotherTypeFailsThePhaseNamingThePlug) {
  Reader reader;
  Plan plan;
  plan.plugs.bind("reader", reader);
  plan.phases = {phase("detect", [](PhaseContext& c) { (void)c.plug<std::string>("reader"); }, {"reader"})};
  const RunResult r = executor_.run(plan);
  EXPECT_EQ(r.phases[0].verdict, PhaseVerdict::failed);
  EXPECT_NE(r.phases[0].reason.find("another type"), std::string::npos) << r.phases[0].reason;
  EXPECT_NE(r.phases[0].reason.find("reader"), std::string::npos) << r.phases[0].reason;
}

TEST_F(ExecutorTest, ErrorsFailAPhaseAndOtherExceptionsAreErrors) {
  Plan plan;
  plan.phases = {phase("answer-error", [](PhaseContext&) { throw Error(ErrorCode::card, "6982 security status", "EF 0018"); }),
                 phase("bug", [](PhaseContext&) { throw std::logic_error("index out of range"); }),
                 phase("odd", [](PhaseContext&) { throw 42; })};
  for (auto& p : plan.phases) p.on_failure = OnFailure::continue_run;
  const RunResult r = executor_.run(plan);
  EXPECT_EQ(r.phases[0].verdict, PhaseVerdict::failed) << r.phases[0].reason;
  EXPECT_NE(r.phases[0].reason.find("6982"), std::string::npos) << r.phases[0].reason;
  EXPECT_EQ(r.phases[1].verdict, PhaseVerdict::error);
  EXPECT_EQ(r.phases[1].reason, "unexpected error: index out of range");
  EXPECT_EQ(r.phases[2].verdict, PhaseVerdict::error);
  EXPECT_NE(r.phases[2].reason.find("not a std::exception"), std::string::npos);
}

// A phase that could not do its job because the rig is broken is an error, not a failed
// expectation, wherever in its body the fault shows: a PhaseError, or an Error whose code is
// a rig fault (io, tls, timeout). A device or config Error is still the chain's verdict.
TEST_F(ExecutorTest, ARigFaultEndsAPhaseInErrorNotFailed) {
  Plan plan;
  plan.phases = {phase("refused", [](PhaseContext&) { throw Error(ErrorCode::io, "Connection refused", "127.0.0.1:1"); }),
                 phase("handshake", [](PhaseContext&) { throw Error(ErrorCode::tls, "certificate unknown", "ons"); }),
                 phase("stalled", [](PhaseContext& c) {
                   c.measure("sent_bytes", 120.0, "bytes");
                   throw Error(ErrorCode::timeout, "read timed out after 500 ms", "ons");
                 }),
                 phase("raised", [](PhaseContext&) { throw PhaseError("the result folder is not writable"); }),
                 phase("card-pulled", [](PhaseContext&) { throw Error(ErrorCode::device, "card removed", "reader"); }),
                 phase("bad-rig-key", [](PhaseContext&) { throw Error(ErrorCode::config, "unknown key", "rig.toml:3"); })};
  for (auto& p : plan.phases) p.on_failure = OnFailure::continue_run;
  const RunResult r = executor_.run(plan);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(r.phases[i].verdict, PhaseVerdict::error) << r.phases[i].name;
  EXPECT_EQ(r.phases[0].reason.rfind("the rig is broken: ", 0), 0u) << r.phases[0].reason;
  EXPECT_NE(r.phases[0].reason.find("Connection refused"), std::string::npos) << r.phases[0].reason;
  EXPECT_NE(r.phases[1].reason.find("certificate unknown"), std::string::npos) << r.phases[1].reason;
  EXPECT_NE(r.phases[2].reason.find("timed out after 500 ms"), std::string::npos) << r.phases[2].reason;
  EXPECT_NE(r.phases[2].measurement("sent_bytes"), nullptr);  // what it measured before the fault is kept
  EXPECT_EQ(r.phases[3].reason, "the result folder is not writable");
  EXPECT_EQ(r.phases[4].verdict, PhaseVerdict::failed);
  EXPECT_EQ(r.phases[5].verdict, PhaseVerdict::failed);
}

// An error in the phase a scenario expects to fail does not meet the expectation: a locked
// PIN expected, a reader that never answered instead, is not the chain locking the PIN.
TEST_F(ExecutorTest, AnErrorWhereAFailureIsExpectedIsNotTheExpectedFailure) {
  Plan plan;
  plan.expectation.failed_phase = "identity";
  plan.phases = {phase("identity", [](PhaseContext&) { throw Error(ErrorCode::timeout, "no answer", "reader"); })};
  const RunResult r = executor_.run(plan);
  EXPECT_EQ(r.phases[0].verdict, PhaseVerdict::error);
  EXPECT_FALSE(r.met_expectation());
}

TEST_F(ExecutorTest, AMeasurementOutsideItsLimitsFailsThePhaseAMarginalOneDoesNot) {
  Plan plan;
  plan.phases = {phase("margin", [](PhaseContext& c) { c.measure("rssi", 15.0, "dB", Limits{0, 100, 20, 80}); }),
                 phase("over", [](PhaseContext& c) { c.measure("result_bytes", 70000.0, "bytes", Limits::at_most(65536)); })};
  const RunResult r = executor_.run(plan);
  EXPECT_EQ(r.phases[0].verdict, PhaseVerdict::passed);
  EXPECT_EQ(r.phases[0].measurement("rssi")->verdict, MeasurementVerdict::marginal);
  EXPECT_EQ(r.phases[1].verdict, PhaseVerdict::failed);
  EXPECT_EQ(r.phases[1].reason, "measurement result_bytes = 70000 bytes is outside its limits [-, 65536]");
}

TEST_F(ExecutorTest, APhaseOverItsBudgetFails) {
  Plan plan;
  plan.phases = {takes("quick", 4ms), takes("slow", 6ms)};
  plan.phases[0].budget = 5ms;
  plan.phases[1].budget = 5ms;
  const RunResult r = executor_.run(plan);
  EXPECT_EQ(r.phases[0].verdict, PhaseVerdict::passed);
  EXPECT_EQ(r.phases[0].measurement("duration_ms")->verdict, MeasurementVerdict::pass);
  EXPECT_EQ(r.phases[1].verdict, PhaseVerdict::failed);
  EXPECT_EQ(r.phases[1].measurement("duration_ms")->verdict, MeasurementVerdict::fail);
  EXPECT_NE(r.phases[1].reason.find("duration_ms = 6 ms"), std::string::npos) << r.phases[1].reason;
}

TEST_F(ExecutorTest, EventsFollowTheRunInOrder) {
  Plan plan;
  plan.name = "reception pin-ok";
  plan.phases = {phase("a", [](PhaseContext& c) { c.measure("tries_left", 3.0); }),
                 phase("b", [](PhaseContext&) { throw PhaseFailure{"no"}; }), takes("c", 1ms)};
  RecordingSink sink;
  executor_.run(plan, &sink);
  const std::vector<std::string> expected = {
      "run_started reception pin-ok [a,b,c]",
      "phase_started reception pin-ok a #0",
      "measurement a tries_left=3 unset",
      "measurement a duration_ms=0 unset",
      "phase_ended a passed",
      "phase_started reception pin-ok b #1",
      "measurement b duration_ms=0 unset",
      "phase_ended b failed",
      "phase_started reception pin-ok c #2",
      "phase_ended c skipped",
      "run_ended reception pin-ok not-met",
  };
  EXPECT_EQ(sink.lines, expected);
}

TEST_F(ExecutorTest, FanoutHandsEveryEventToEverySink) {
  Plan plan;
  plan.name = "r";
  plan.phases = {takes("a", 1ms)};
  RecordingSink one;
  RecordingSink two;
  EventFanout fanout;
  fanout.add(one);
  fanout.add(two);
  executor_.run(plan, &fanout);
  EXPECT_EQ(one.lines.size(), 5u);
  EXPECT_EQ(one.lines, two.lines);
}

TEST_F(ExecutorTest, TheExpectationNamesTheFailingPhaseItsReasonAndRunAttributes) {
  Plan plan;
  plan.attributes = {{"rig", "emulated"}};
  plan.phases = {phase("identity", [](PhaseContext& c) {
                   c.set_run_attribute("identity_method", "pin");
                   throw PhaseFailure{"the PIN is now blocked"};
                 }),
                 takes("lookup", 1ms)};
  plan.expectation.failed_phase = "identity";
  plan.expectation.reason_contains = "blocked";
  RunResult r = executor_.run(plan);
  EXPECT_EQ(r.attribute("rig"), "emulated");
  EXPECT_EQ(r.attribute("identity_method"), "pin");
  EXPECT_TRUE(r.met_expectation());

  plan.expectation.attributes = {{"identity_method", "face"}};
  EXPECT_FALSE(executor_.run(plan).met_expectation());
  plan.expectation.attributes = {{"identity_method", "pin"}};
  plan.expectation.reason_contains = "expired";
  EXPECT_FALSE(executor_.run(plan).met_expectation());
  plan.expectation.reason_contains = "";
  plan.expectation.failed_phase = "lookup";
  EXPECT_FALSE(executor_.run(plan).met_expectation());
}

TEST_F(ExecutorTest, TeardownRunsAfterThePhasesAndItsErrorChangesNoPhase) {
  Plan plan;
  std::vector<std::string> order;
  plan.phases = {phase("a", [&](PhaseContext&) { order.push_back("a"); })};
  plan.teardown = [&] {
    order.push_back("teardown");
    throw Error(ErrorCode::device, "card gone");
  };
  const RunResult r = executor_.run(plan);
  EXPECT_EQ(order, (std::vector<std::string>{"a", "teardown"}));
  EXPECT_TRUE(r.all_phases_passed());
  EXPECT_NE(r.attribute("teardown_error").find("card gone"), std::string::npos);
}

TEST(PhaseVerdict, Names) {
  EXPECT_EQ(to_string(PhaseVerdict::passed), "passed");
  EXPECT_EQ(to_string(PhaseVerdict::failed), "failed");
  EXPECT_EQ(to_string(PhaseVerdict::skipped), "skipped");
  EXPECT_EQ(to_string(PhaseVerdict::error), "error");
}

}  // namespace
}  // namespace onshi::run
