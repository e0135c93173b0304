// Rig files (harness/rig) through every registered link backend's table parser.
#include "../fuzz_support.hpp"
#include "onshi/rig/rig_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  onshi::fuzz::refusal_is_fine([&] { (void)onshi::rig::parse_rig(onshi::fuzz::as_text(data, size), "fuzz.toml"); });
  return 0;
}
