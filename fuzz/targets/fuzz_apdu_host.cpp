// Responses on the host side: APDU parsing (iso7816) and the JPKI client's parsers of what a
// card returns (BER object size, TLV files, the token label, My Number and basic-4 files).
// The first byte picks the parser.
#include "../fuzz_support.hpp"
#include "onshi/iso7816/apdu.hpp"
#include "onshi/jpki/ber_object_size.hpp"
#include "onshi/jpki/card_info.hpp"
#include "onshi/jpki/token_info.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const onshi::ByteView raw = onshi::fuzz::as_bytes(data + 1, size - 1);
  onshi::fuzz::refusal_is_fine([&] {
    switch (data[0] % 7) {
      case 0: {
        const auto command = onshi::iso7816::CommandApdu::parse(raw);
        (void)onshi::iso7816::CommandApdu::parse(command.encode());  // what we encode we parse
        break;
      }
      case 1: (void)onshi::iso7816::ResponseApdu::parse(raw); break;
      case 2: (void)onshi::jpki::ber_object_size(raw); break;
      case 3: (void)onshi::jpki::parse_tlvs(raw, "fuzz"); break;
      case 4: (void)onshi::jpki::parse_token_label(raw); break;
      case 5: (void)onshi::jpki::parse_my_number_file(raw); break;
      default: (void)onshi::jpki::parse_basic_four(raw); break;
    }
  });
  return 0;
}
