#pragma once
// A CardReader over PC/SC (pcsc-lite's libpcsclite talking to pcscd): whatever reader pcscd
// offers — a CCID reader through libccid, vsmartcard's "Virtual PCD", a vendor driver. The
// reader is picked by a substring of its PC/SC name. Every PC/SC failure becomes
// Error(device / timeout) carrying pcsc-lite's error text, the operation and the reader.
// The winscard headers stay in the .cpp.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "onshi/reader/card_reader.hpp"

namespace onshi::reader {

enum class PcscProtocol { any, t0, t1 };

// "any" | "t0" | "t1"; Error(invalid_argument) otherwise.
PcscProtocol parse_pcsc_protocol(const std::string& text);

struct PcscReaderOptions {
  std::string name_contains;  // substring of the PC/SC reader name; empty: the first reader
  PcscProtocol protocol = PcscProtocol::any;
};

class PcscCardReader final : public CardReader, private iso7816::ApduChannel {
 public:
  // Establishes the PC/SC context; Error(device) naming pcscd when it is not running.
  explicit PcscCardReader(PcscReaderOptions options);
  ~PcscCardReader() override;
  PcscCardReader(const PcscCardReader&) = delete;
  PcscCardReader& operator=(const PcscCardReader&) = delete;

  // "pcsc/<reader name>" once the reader is found, "pcsc/*<substring>*" before.
  std::string name() const override;
  bool card_present() override;
  // Also waits for the reader itself to appear (pcscd may still be loading its driver).
  bool wait_for_card(Duration timeout) override;
  Bytes connect() override;
  void disconnect() override;
  iso7816::ApduChannel& channel() override;

  // The readers pcscd lists right now (empty when it has none).
  std::vector<std::string> list_readers();
  // Negotiated protocol after connect(): "T=0" or "T=1".
  std::string active_protocol() const;

 private:
  iso7816::ResponseApdu transmit(const iso7816::CommandApdu& command) override;
  Bytes transmit_raw(ByteView command);
  // Finds the reader by name; false when pcscd lists none matching (yet).
  bool resolve_reader();

  PcscReaderOptions options_;
  std::intptr_t context_ = 0;  // SCARDCONTEXT
  std::intptr_t card_ = 0;     // SCARDHANDLE while connected
  unsigned long protocol_ = 0;  // SCARD_PROTOCOL_T0 / T1 while connected
  bool connected_ = false;
  std::string reader_;
};

}  // namespace onshi::reader
