// Population files (harness/population): a generated population's single file, with its
// [[patient]] and [[facility]] tables.
#include "../fuzz_support.hpp"
#include "onshi/population/population.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = onshi::fuzz::scratch_file(onshi::fuzz::as_text(data, size), "population.toml");
  onshi::fuzz::refusal_is_fine([&] { (void)onshi::population::load_population(file); });
  return 0;
}
