#pragma once
// Settings of the reader backends the emulated reader side registers: emulated (the
// emulated CCID reader holding the card link's virtual card) and vpcd (the virtual card in
// pcscd's vpcd reader, read back through PC/SC).
#include <string>

#include "onshi/links/link_settings.hpp"

namespace onshi::mocks::reader {

struct EmulatedReaderSettings final : links::LinkSettings {
  std::string transport = "in-process";   // in-process | usbip (exported on loopback, imported back)
  std::string identity = "generic-ccid";  // rigs/readers/<identity>.toml
  // none | pull-card | unplug | time-extension-storm | wrong-length | wrong-sequence |
  // endless-61xx | endless-6cxx (from that exchange on, for ever: EmulatedCcidReader::Misbehaviour)
  // | drop-usbip-mid-urb (transport = "usbip": the connection cut inside the nth bulk IN reply)
  std::string fault = "none";
  unsigned fault_after_exchanges = 1;     // on this APDU exchange of the reception (bulk IN reply for the drop)
};

struct VpcdReaderSettings final : links::LinkSettings {
  std::string vpcd = "127.0.0.1:35963";  // where ifd-vpcd listens (its slot 0)
  std::string name = "Virtual PCD";      // substring of the PC/SC reader name pcscd gives it
  std::string protocol = "any";          // any | t0 | t1
  std::string fault = "none";            // none | pull-card (the export's socket closes)
  unsigned fault_after_exchanges = 1;
};

}  // namespace onshi::mocks::reader
