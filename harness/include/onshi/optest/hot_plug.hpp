#pragma once
// The hot-plug check (docs/optest.md, "Hot-plug"): the card reader is pulled out and plugged
// back in, and a reception afterwards must work — a terminal that does not find its reader
// again after a loose cable stops the clinic's reception desk.
//
// On a physical rig a person does it, asked by the check's operator prompt (answered from a
// key on a TTY or from `--answers`); the check then runs its scenario, which must pass. On an
// emulated rig the harness does the physical act itself: it runs the scenario once on a copy
// of the rig whose reader is unplugged mid-reception ([reader] fault = "unplug"), which must
// end in a step naming the unplug, never a hang, and then again on the rig as it is (the
// reader opened afresh, i.e. plugged back), which must pass.
#include <string>
#include <vector>

#include "onshi/flow/run_record.hpp"
#include "onshi/optest/operator_prompt.hpp"
#include "onshi/rig/rig_config.hpp"
#include "onshi/rig/wired_rig.hpp"
#include "onshi/run/executor.hpp"

namespace onshi::optest {

// The prompt a hot-plug check asks when its checklist entry gives none.
Prompt default_hot_plug_prompt(const std::string& check_name);

// Why the harness cannot pull this emulated rig's reader itself ("" when it can): only the
// emulated CCID reader ([reader] kind = "emulated") can be unplugged by the harness.
std::string why_harness_cannot_unplug(const rig::RigConfig& config);

// The rig file of `config` as written, with [reader] fault = "unplug" after `exchanges` CCID
// exchanges; relative paths still resolve from the rig file's folder. Error(config) naming the
// file when it cannot be read back.
rig::RigConfig with_reader_unplugged(const rig::RigConfig& config, unsigned exchanges);

// The check's body after its prompt was answered. `harness_unplugs`: the emulated rig's act
// (above); otherwise a person has pulled and replugged the reader. Throws run::PhaseFailure
// naming what did not hold; the receptions run are appended to `receptions`.
void run_hot_plug(run::PhaseContext& ctx, rig::WiredRig& rig, const std::string& scenario, bool harness_unplugs,
                  std::vector<flow::RunRecord>& receptions);

}  // namespace onshi::optest
