#pragma once
// The emulated reader as a umockdev device: its sysfs description (umockdev-record format)
// with the reader's own device + configuration descriptors in the `descriptors` attribute,
// at /sys/devices/pci0000:00/0000:00:14.0/usb1/1-1 = bus 1 device 2.
#include <cstdio>
#include <string>

#include "onshi/mocks/reader/emulated_ccid_reader.hpp"

namespace onshi::usb {

inline const char* const umockdev_reader_syspath = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1";

// A umockdev device description (umockdev-record format) carrying the emulated reader's
// device + configuration descriptors in sysfs' `descriptors` attribute.
inline std::string umockdev_description(const mocks::reader::EmulatedCcidReader& reader) {
  const DeviceDescriptor d = reader.device_descriptor();
  Bytes descriptors = d.encode();
  append(descriptors, reader.configuration_descriptor().encode());
  char ids[64];
  std::snprintf(ids, sizeof ids, "%x/%x/%x", d.vendor_id, d.product_id, d.bcd_device);
  char vid[8];
  char pid[8];
  std::snprintf(vid, sizeof vid, "%04x", d.vendor_id);
  std::snprintf(pid, sizeof pid, "%04x", d.product_id);
  return std::string("P: /devices/pci0000:00/0000:00:14.0/usb1/1-1\nN: bus/usb/001/002\n") +
         "E: BUSNUM=001\nE: DEVNAME=/dev/bus/usb/001/002\nE: DEVNUM=002\nE: DEVTYPE=usb_device\nE: DRIVER=usb\n"
         "E: MAJOR=189\nE: MINOR=1\nE: PRODUCT=" + ids + "\nE: SUBSYSTEM=usb\nE: TYPE=0/0/0\n"
         "A: bConfigurationValue=1\nA: bDeviceClass=00\nA: bNumConfigurations=1\nA: bNumInterfaces= 1\n"
         "A: busnum=1\nA: devnum=2\nA: devpath=1\nH: descriptors=" + to_hex(descriptors) + "\n"
         "A: idProduct=" + pid + "\nA: idVendor=" + vid + "\nA: serial=" + reader.serial_number() + "\nA: speed=12\n";
}

}  // namespace onshi::usb
