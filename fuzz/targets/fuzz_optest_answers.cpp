// The operational test's answers files for unattended runs (harness/optest operator_prompt.hpp).
#include "../fuzz_support.hpp"
#include "onshi/optest/operator_prompt.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  onshi::fuzz::refusal_is_fine(
      [&] { (void)onshi::optest::parse_operator_answers(onshi::fuzz::as_text(data, size), "answers.toml"); });
  return 0;
}
