// The operational test's checklist files (harness/optest checklist.hpp), with their phases,
// kinds, budgets and operator prompts.
#include "../fuzz_support.hpp"
#include "onshi/optest/checklist.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  onshi::fuzz::refusal_is_fine(
      [&] { (void)onshi::optest::parse_checklist(onshi::fuzz::as_text(data, size), "checklist.toml"); });
  return 0;
}
