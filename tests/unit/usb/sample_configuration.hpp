#pragma once
// A CCID-like configuration for the descriptor tests: one interface with a class-specific
// block and three endpoints (9 header + 9 interface + 4 class block + 3 * 7 endpoints = 43 bytes).
#include "onshi/usb/descriptors.hpp"

namespace onshi::usb {

inline ConfigurationDescriptor ccid_like_configuration() {
  InterfaceDescriptor i;
  i.interface_class = 0x0B;
  i.class_specific = Bytes{4, 0x21, 0xAA, 0xBB};
  i.endpoints = {{0x03, TransferType::bulk, 64, 0}, {0x82, TransferType::bulk, 64, 0},
                 {0x81, TransferType::interrupt, 8, 16}};
  ConfigurationDescriptor c;
  c.interfaces.push_back(i);
  return c;
}

}  // namespace onshi::usb
