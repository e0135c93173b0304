// The scenario catalogue (harness/flow scenario.hpp), checked against the shipped population.
#include "../fuzz_support.hpp"
#include "onshi/flow/scenario.hpp"
#include "onshi/population/population.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const onshi::population::Population population = onshi::population::load_population();
  const auto file = onshi::fuzz::scratch_file(onshi::fuzz::as_text(data, size), "catalogue.toml");
  onshi::fuzz::refusal_is_fine([&] { (void)onshi::flow::load_scenarios(file, population); });
  return 0;
}
