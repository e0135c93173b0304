// vpcd frames (docs/domain/vpcd.md): 2-byte big-endian length + payload, as pcscd's vpcd
// driver sends them; each payload answered by the card side (mocks/reader VpcdClient) over
// an echo card: control bytes 00/01/02/04, anything else a C-APDU.
#include "../fuzz_support.hpp"
#include "onshi/mocks/reader/vpcd_client.hpp"
#include "onshi/testing/echo_icc.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  onshi::mocks::reader::VpcdClient client(std::make_shared<onshi::testing::EchoIcc>(),
                                          onshi::HostPort{"127.0.0.1", onshi::mocks::reader::vpcd_default_port});
  std::size_t offset = 0;
  while (offset + 2 <= size) {
    const std::size_t length = static_cast<std::size_t>(data[offset] << 8 | data[offset + 1]);
    offset += 2;
    const std::size_t n = std::min(length, size - offset);
    const onshi::ByteView payload = onshi::fuzz::as_bytes(data + offset, n);
    offset += n;
    onshi::fuzz::refusal_is_fine([&] { (void)client.answer(payload); });
  }
  return 0;
}
