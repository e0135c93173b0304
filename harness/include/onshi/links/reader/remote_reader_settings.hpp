#pragma once
// Settings of the reader backends that reach a real reader: usbip (a reader another host's
// usbipd exports), libusb (a CCID reader on this host's USB), pcsc (any reader pcscd offers).
#include <string>

#include "onshi/links/link_settings.hpp"

namespace onshi::links {

struct UsbipReaderSettings final : LinkSettings {
  std::string server;  // HOST[:PORT], port 3240 by default
  std::string busid;   // e.g. "1-1"
};

struct LibusbReaderSettings final : LinkSettings {
  std::string device;  // VID:PID[:SERIAL] in hex
};

struct PcscReaderSettings final : LinkSettings {
  std::string name;               // substring of the PC/SC reader name; "" = the first
  std::string protocol = "any";   // any | t0 | t1
};

}  // namespace onshi::links
