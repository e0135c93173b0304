#include "onshi/optest/hot_plug.hpp"

#include <sstream>

#include "onshi/config/toml_reader.hpp"
#include "onshi/core/error.hpp"

namespace onshi::optest {
namespace {

using run::PhaseFailure;

double ms_of(Duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// The first step that did not pass, or null.
const flow::StepResult* first_not_passed(const flow::RunRecord& record) {
  for (const flow::StepResult& step : record.steps) {
    if (step.status == flow::StepStatus::failed || step.status == flow::StepStatus::error) return &step;
  }
  return nullptr;
}

std::string why_not_met(const flow::RunRecord& record) {
  const flow::StepResult* step = first_not_passed(record);
  return step == nullptr ? std::string("it did not end as its scenario expects")
                         : "step " + step->name + " " + std::string(flow::to_string(step->status)) + ": " + step->reason;
}

flow::RunRecord reception(rig::WiredRig& rig, const std::string& scenario, const std::string& name) {
  flow::RunRecord record = rig.run(rig.scenario(scenario));
  record.name = name + " (" + scenario + ")";
  return record;
}

}  // namespace

Prompt default_hot_plug_prompt(const std::string& check_name) {
  Prompt prompt;
  prompt.id = check_name;
  prompt.text =
      "Hot-plug: pull the card reader's USB cable out of the terminal, count to five, plug it back in, "
      "wait until its light is on, then press [d]one";
  prompt.answers = {"done", "not-possible"};
  prompt.timeout = std::chrono::seconds(180);
  prompt.physical_act = true;
  return prompt;
}

std::string why_harness_cannot_unplug(const rig::RigConfig& config) {
  if (config.reader.kind == "emulated") return {};
  return "the harness can pull only the emulated CCID reader ([reader] kind = \"emulated\"), not kind \"" +
         config.reader.kind + "\"";
}

rig::RigConfig with_reader_unplugged(const rig::RigConfig& config, unsigned exchanges) {
  if (config.file.empty()) throw Error(ErrorCode::config, "the rig was not read from a file", "hot-plug");
  toml::table root = config::TomlReader(config.file).root();
  toml::table* reader = root["reader"].as_table();
  if (reader == nullptr) {
    root.insert_or_assign("reader", toml::table{{"kind", "emulated"}});
    reader = root["reader"].as_table();
  }
  reader->insert_or_assign("fault", "unplug");
  reader->insert_or_assign("fault_after_exchanges", static_cast<std::int64_t>(exchanges));
  std::ostringstream text;
  text << root;
  // The same name, so relative paths resolve from the rig file's folder as before.
  return rig::parse_rig(text.str(), config.file.string());
}

void run_hot_plug(run::PhaseContext& ctx, rig::WiredRig& rig, const std::string& scenario, bool harness_unplugs,
                  std::vector<flow::RunRecord>& receptions) {
  ctx.detail("scenario", scenario);
  if (harness_unplugs) {
    // Pulled after the ATR and a few APDUs: in the middle of reading the card.
    constexpr unsigned kExchangesBeforeUnplug = 4;
    rig::WireOverrides overrides;
    overrides.pki_dir = rig.pki_dir();
    overrides.output_dir = rig.output_root();
    const auto unplugged = rig::WiredRig::wire(with_reader_unplugged(rig.config(), kExchangesBeforeUnplug), overrides);
    ctx.detail("unplugged_by", "the harness: [reader] fault = \"unplug\" after " + std::to_string(kExchangesBeforeUnplug) +
                                   " CCID exchanges");
    flow::RunRecord pulled = reception(*unplugged, scenario, std::string("hot-plug, reader pulled"));
    receptions.push_back(pulled);
    ctx.measure("unplugged_reception_ms", ms_of(pulled.total), "ms");
    const flow::StepResult* ended = first_not_passed(pulled);
    if (ended == nullptr) {
      throw PhaseFailure{"the harness pulled the reader after " + std::to_string(kExchangesBeforeUnplug) +
                         " exchanges, but the reception still passed: the unplug was never seen"};
    }
    ctx.detail("unplugged_reception_ended", ended->name + ": " + ended->reason);
  }
  flow::RunRecord after = reception(rig, scenario, "hot-plug, reader plugged back");
  receptions.push_back(after);
  ctx.measure("replugged_reception_ms", ms_of(after.total), "ms");
  if (!after.met_expectation()) {
    throw PhaseFailure{"after the reader was plugged back in, the reception did not work: " + why_not_met(after) +
                       (harness_unplugs ? std::string()
                                        : " (check that the reader is plugged in and that the terminal sees it again)")};
  }
}

}  // namespace onshi::optest
