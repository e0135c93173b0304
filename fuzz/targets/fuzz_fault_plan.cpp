// Fault plans (mocks/ons fault_plan.hpp, docs/fault-plan.md), as PUT /faults and --faults read them.
#include "../fuzz_support.hpp"
#include "onshi/mocks/ons/fault_plan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  onshi::fuzz::refusal_is_fine([&] {
    const auto plan = onshi::mocks::ons::parse_fault_plan(onshi::fuzz::as_text(data, size), "fuzz.json");
    (void)onshi::mocks::ons::to_json(plan);  // a plan read is a plan that can be shown again
  });
  return 0;
}
