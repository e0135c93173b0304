// Reader identities (rigs/readers/*.toml, mocks/reader reader_identity.hpp).
#include "../fuzz_support.hpp"
#include "onshi/mocks/reader/reader_identity.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  onshi::fuzz::refusal_is_fine(
      [&] { (void)onshi::mocks::reader::parse_reader_identity(onshi::fuzz::as_text(data, size), "fuzz"); });
  return 0;
}
