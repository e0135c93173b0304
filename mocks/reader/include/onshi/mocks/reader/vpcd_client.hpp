#pragma once
// Exports an ICC (the virtual My Number Card) to pcscd through vsmartcard's vpcd driver
// (docs/domain/vpcd.md): the card side ("vicc") connects to vpcd's slot socket (default
// 127.0.0.1:35963) and answers its frames — 2-byte big-endian length + payload; one-byte
// control payloads 00 power off, 01 power on, 02 reset, 04 get ATR; anything else is a
// C-APDU answered with the R-APDU. Any PC/SC application above pcscd then sees the card.
// TCP_NODELAY is set (see TcpStream): without it every exchange waits on delayed ACK.
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>

#include "onshi/core/host_port.hpp"
#include "onshi/iso7816/icc.hpp"
#include "onshi/usb/tcp_stream.hpp"

namespace onshi::mocks::reader {

inline constexpr std::uint16_t vpcd_default_port = 0x8C7B;  // 35963, slot 0

struct VpcdStats {
  std::uint64_t apdus = 0;
  std::uint64_t control_frames = 0;
};

class VpcdClient {
 public:
  VpcdClient(std::shared_ptr<iso7816::Icc> card, HostPort vpcd);

  // Connects (retrying every 200 ms until `connect_timeout`, as pcscd may still be starting)
  // and serves frames until vpcd closes the connection or `stop` becomes true. Error(io /
  // timeout) when vpcd cannot be reached; Error(protocol) on a malformed frame.
  void serve(const std::atomic<bool>& stop, Duration connect_timeout = std::chrono::seconds(10));
  // Answers one frame payload (exposed for tests); nullopt when the frame needs no reply.
  std::optional<Bytes> answer(ByteView payload);

  // Fault injection: on the n-th C-APDU (1-based) the card is "pulled" — the connection to
  // vpcd closes without an answer, which vpcd reports to pcscd as card removal — and serve()
  // returns. 0 (the default) never pulls.
  void pull_card_at_apdu(unsigned n) { pull_at_apdu_ = n; }
  bool card_pulled() const { return pulled_; }

  const VpcdStats& stats() const { return stats_; }

 private:
  std::shared_ptr<iso7816::Icc> card_;
  HostPort vpcd_;
  Bytes atr_;
  bool powered_ = false;
  unsigned pull_at_apdu_ = 0;
  bool pulled_ = false;
  VpcdStats stats_;
};

}  // namespace onshi::mocks::reader
