// CCID messages host → reader: the emulated reader (mocks/reader) takes bulk OUT transfers
// (1-byte length frames of the input) holding an echo card, and answers on bulk IN.
#include "../fuzz_support.hpp"
#include "onshi/mocks/reader/emulated_ccid_reader.hpp"
#include "onshi/testing/echo_icc.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using onshi::mocks::reader::EmulatedCcidReader;
  onshi::mocks::reader::ReaderIdentity identity;
  onshi::fuzz::Frames frames(data, size);
  if (frames.byte() % 2 == 1) {  // the extended APDU level, with command and response chaining
    identity.class_descriptor.features = (identity.class_descriptor.features & ~onshi::ccid::feature::exchange_level_mask) |
                                         onshi::ccid::feature::exchange_extended_apdu;
  }
  EmulatedCcidReader reader(identity);
  reader.insert_card(std::make_shared<onshi::testing::EchoIcc>());
  while (!frames.empty()) {
    const onshi::Bytes transfer = frames.next();
    onshi::fuzz::refusal_is_fine([&] {
      reader.bulk_out(EmulatedCcidReader::bulk_out_endpoint, transfer);
      while (reader.bulk_in(EmulatedCcidReader::bulk_in_endpoint, 65554, onshi::Duration::zero())) {
      }
    });
  }
  return 0;
}
