// Request files as a receipt computer writes them into req/ (harness/terminal request_reader):
// size, encoding from the XML declaration (UTF-8 or Shift_JIS as CP932), bytes valid in it.
// What the reader accepts it hands on as UTF-8: that is checked here too, so a reader that let
// a broken byte through would be a finding, not a later encoder's throw.
#include "../fuzz_support.hpp"
#include "onshi/terminal/request_reader.hpp"

namespace {

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto lead = static_cast<unsigned char>(s[i]);
    const std::size_t n = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = onshi::fuzz::scratch_file(onshi::fuzz::as_text(data, size), "OQSsiquc01req_fuzz.xml");
  onshi::fuzz::refusal_is_fine([&] {
    const onshi::terminal::RequestText text = onshi::terminal::read_request_file(file, 1u << 20);
    if (!valid_utf8(text.xml)) std::abort();  // accepted, yet not the UTF-8 it promises
  });
  return 0;
}
