// Interface profiles (harness/ons interface_profile.hpp, fixtures/ons/profile-*.toml).
#include "../fuzz_support.hpp"
#include "onshi/ons/interface_profile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = onshi::fuzz::scratch_file(onshi::fuzz::as_text(data, size), "profile.toml");
  onshi::fuzz::refusal_is_fine([&] { (void)onshi::ons::load_interface_profile(file); });
  return 0;
}
