#include "onshi/report/junit_reporter.hpp"

#include <cstdio>
#include <sstream>

#include <pugixml.hpp>

#include "onshi/core/atomic_file.hpp"
#include "onshi/core/iso8601.hpp"

namespace onshi::report {
namespace {

std::string seconds(Duration d) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", std::chrono::duration<double>(d).count());
  return buffer;
}

// Ant writes the timestamp without a zone; ours is UTC.
std::string ant_timestamp(WallTime t) {
  std::string text = format_iso8601_utc(t);
  if (!text.empty() && text.back() == 'Z') text.pop_back();
  return text;
}

// "1.25 ms", "3", "1.25 ms (pass; limits -..5000)": the value, then the verdict and limits when judged.
std::string measurement_text(const run::Measurement& m) {
  std::string text = run::format_value(m.value);
  if (!m.unit.empty()) text += " " + m.unit;
  if (m.limits) {
    const auto bound = [](const std::optional<double>& v) { return v ? run::format_value(*v) : std::string("-"); };
    text += " (" + std::string(run::to_string(m.verdict)) + "; limits " + bound(m.limits->low) + ".." +
            bound(m.limits->high) + ")";
  }
  return text;
}

void add_property(pugi::xml_node properties, const std::string& name, const std::string& value) {
  pugi::xml_node p = properties.append_child("property");
  p.append_attribute("name") = name.c_str();
  p.append_attribute("value") = value.c_str();
}

struct Counts {
  std::size_t tests = 0;
  std::size_t failures = 0;
  std::size_t errors = 0;
  std::size_t skipped = 0;
  Duration time{};

  void add(const Counts& other) {
    tests += other.tests;
    failures += other.failures;
    errors += other.errors;
    skipped += other.skipped;
    time += other.time;
  }
};

void set_counts(pugi::xml_node node, const Counts& c) {
  node.append_attribute("tests") = static_cast<unsigned long long>(c.tests);
  node.append_attribute("failures") = static_cast<unsigned long long>(c.failures);
  node.append_attribute("errors") = static_cast<unsigned long long>(c.errors);
  node.append_attribute("skipped") = static_cast<unsigned long long>(c.skipped);
  node.append_attribute("time") = seconds(c.time).c_str();
}

// A phase the scenario expects to fail, in a run that ended as expected (pin-locked's
// identity_check): reported as skipped with "expected failure", as pytest reports xfail, so
// a CI that reads JUnit stays green for a run that did what it should.
bool expected_failure(const run::RunResult& run, const run::PhaseResult& phase) {
  return !run.expectation.failed_phase.empty() && phase.name == run.expectation.failed_phase &&
         phase.verdict != run::PhaseVerdict::passed && phase.verdict != run::PhaseVerdict::skipped &&
         run.met_expectation();
}

// Each run ends with a testcase "expectation": passed when the run ended as its plan expects,
// a failure saying how it did not otherwise (an expected failure that did not happen, say).
std::string expectation_text(const run::RunResult& run) {
  std::string text = run.expectation.failed_phase.empty() ? "every phase passes"
                                                          : "phase " + run.expectation.failed_phase + " fails";
  if (!run.expectation.reason_contains.empty()) text += " with '" + run.expectation.reason_contains + "' in its reason";
  for (const auto& [key, value] : run.expectation.attributes) text += ", " + key + " = " + value;
  return text;
}

Counts count(const run::RunResult& run) {
  Counts counts;
  counts.time = run.total;
  for (const auto& phase : run.phases) {
    ++counts.tests;
    if (expected_failure(run, phase)) {
      ++counts.skipped;
      continue;
    }
    if (phase.verdict == run::PhaseVerdict::failed) ++counts.failures;
    if (phase.verdict == run::PhaseVerdict::error) ++counts.errors;
    if (phase.verdict == run::PhaseVerdict::skipped) ++counts.skipped;
  }
  ++counts.tests;  // the expectation
  if (!run.met_expectation()) ++counts.failures;
  return counts;
}

void add_suite(pugi::xml_node suites, const run::RunResult& run, std::size_t id) {
  pugi::xml_node suite = suites.append_child("testsuite");
  suite.append_attribute("name") = run.name.c_str();
  set_counts(suite, count(run));
  suite.append_attribute("timestamp") = ant_timestamp(run.started).c_str();
  suite.append_attribute("id") = static_cast<unsigned long long>(id);

  pugi::xml_node properties = suite.append_child("properties");
  for (const auto& [key, value] : run.attributes) add_property(properties, key, value);
  if (!run.expectation.failed_phase.empty()) add_property(properties, "expected_failed_phase", run.expectation.failed_phase);
  add_property(properties, "met_expectation", run.met_expectation() ? "true" : "false");

  for (const auto& phase : run.phases) {
    pugi::xml_node testcase = suite.append_child("testcase");
    testcase.append_attribute("name") = phase.name.c_str();
    testcase.append_attribute("classname") = run.name.c_str();
    testcase.append_attribute("time") = seconds(phase.duration).c_str();
    if (!phase.measurements.empty()) {
      pugi::xml_node measured = testcase.append_child("properties");
      for (const auto& m : phase.measurements) add_property(measured, m.name, measurement_text(m));
    }
    if (expected_failure(run, phase)) {
      pugi::xml_node element = testcase.append_child("skipped");
      element.append_attribute("type") = "expected-failure";
      element.append_attribute("message") = ("expected failure: " + phase.reason).c_str();
    }
    const char* outcome = nullptr;
    if (!expected_failure(run, phase)) switch (phase.verdict) {
      case run::PhaseVerdict::passed: break;
      case run::PhaseVerdict::failed: outcome = "failure"; break;
      case run::PhaseVerdict::error: outcome = "error"; break;
      case run::PhaseVerdict::skipped: outcome = "skipped"; break;
    }
    if (outcome != nullptr) {
      pugi::xml_node element = testcase.append_child(outcome);
      element.append_attribute("message") = phase.reason.c_str();
      if (phase.verdict != run::PhaseVerdict::skipped) {
        element.append_attribute("type") = std::string(run::to_string(phase.verdict)).c_str();
        element.text() = phase.reason.c_str();
      }
    }
    if (!phase.details.empty()) {
      std::string out;
      for (const auto& [key, value] : phase.details) out += key + ": " + value + "\n";
      testcase.append_child("system-out").text() = out.c_str();
    }
  }
  pugi::xml_node expectation = suite.append_child("testcase");
  expectation.append_attribute("name") = "expectation";
  expectation.append_attribute("classname") = run.name.c_str();
  expectation.append_attribute("time") = "0.000";
  if (!run.met_expectation()) {
    pugi::xml_node failure = expectation.append_child("failure");
    failure.append_attribute("type") = "expectation";
    failure.append_attribute("message") = ("the run did not end as expected: " + expectation_text(run)).c_str();
  }
  expectation.append_child("system-out").text() = ("expected: " + expectation_text(run) + "\n").c_str();
}

}  // namespace

std::string to_junit_xml(const std::vector<run::RunResult>& runs) {
  pugi::xml_document doc;
  pugi::xml_node declaration = doc.append_child(pugi::node_declaration);
  declaration.append_attribute("version") = "1.0";
  declaration.append_attribute("encoding") = "UTF-8";
  pugi::xml_node suites = doc.append_child("testsuites");
  suites.append_attribute("name") = "onshi-hil";
  Counts total;
  for (const auto& r : runs) total.add(count(r));
  set_counts(suites, total);
  for (std::size_t i = 0; i < runs.size(); ++i) add_suite(suites, runs[i], i);
  std::ostringstream out;
  doc.save(out, "  ", pugi::format_indent, pugi::encoding_utf8);
  return out.str();
}

void JUnitReporter::finish() { write_file_atomically(file_, to_junit_xml(runs_)); }

}  // namespace onshi::report
