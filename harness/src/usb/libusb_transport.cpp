#include "onshi/usb/libusb_transport.hpp"

#include <libusb.h>
#include <sys/time.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <thread>

namespace onshi::usb {
namespace {

using namespace std::chrono_literals;

std::string hex4(std::uint16_t v) {
  char text[8];
  std::snprintf(text, sizeof text, "%04x", v);
  return text;
}

unsigned int timeout_ms(Duration timeout) {
  // libusb treats 0 as "wait forever": every wait here is bounded, so at least 1 ms.
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count();
  return static_cast<unsigned int>(std::clamp<long long>(ms, 1, INT_MAX));
}

struct Context {
  libusb_context* ctx = nullptr;
  Context() {
    if (const int rc = libusb_init(&ctx); rc != 0) throw libusb_error(rc, "libusb_init");
  }
  ~Context() {
    if (ctx != nullptr) libusb_exit(ctx);
  }
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
};

std::string port_path(libusb_device* dev) {
  std::uint8_t ports[8];
  const int n = libusb_get_port_numbers(dev, ports, sizeof ports);
  std::string path = std::to_string(libusb_get_bus_number(dev));
  for (int i = 0; i < n; ++i) path += (i == 0 ? "-" : ".") + std::to_string(ports[i]);
  return path;
}

// The kernel's copy of the device's descriptors (sysfs `descriptors`: the device descriptor,
// then every configuration as the device sent it): the bytes libusb itself reads on Linux,
// read without a transfer reaching the device. nullopt when there is no such file.
std::optional<Bytes> sysfs_descriptors(const std::string& sysfs_name) {
  std::ifstream in("/sys/bus/usb/devices/" + sysfs_name + "/descriptors", std::ios::binary);
  if (!in) return std::nullopt;
  Bytes raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return raw;
}

// sysfs' bConfigurationValue: the active configuration, nullopt when unconfigured or unknown.
std::optional<std::uint8_t> sysfs_active_configuration(const std::string& sysfs_name) {
  std::ifstream in("/sys/bus/usb/devices/" + sysfs_name + "/bConfigurationValue");
  unsigned value = 0;
  if (!(in >> value) || value == 0 || value > 255) return std::nullopt;
  return static_cast<std::uint8_t>(value);
}

// The active (else the first) configuration, parsed by the one parser every backend uses
// (ConfigurationDescriptor::parse). From sysfs; without it, GET_DESCRIPTOR on `handle` when
// the device is open. Error(malformed_input) naming the offset, Error(not_found) when there
// is no source.
ConfigurationDescriptor read_active_configuration(const std::string& sysfs_name, libusb_device_handle* handle) {
  const std::string where = "libusb:" + sysfs_name + " configuration descriptor";
  if (const std::optional<Bytes> raw = sysfs_descriptors(sysfs_name)) {
    const std::optional<std::uint8_t> active = sysfs_active_configuration(sysfs_name);
    std::optional<ConfigurationDescriptor> first;
    std::size_t offset = DeviceDescriptor::size;
    while (offset < raw->size()) {
      const ByteView rest = ByteView(*raw).subspan(offset);
      if (rest.size() < 4) {
        throw Error(ErrorCode::malformed_input, std::to_string(rest.size()) + " stray bytes after the configurations",
                    where + " at offset " + std::to_string(offset));
      }
      const std::size_t total = load_le16(rest, 2);
      ConfigurationDescriptor config;
      try {
        config = ConfigurationDescriptor::parse(rest.first(std::min(total, rest.size())));
      } catch (const Error& e) {
        throw Error(e.code(), e.message(),
                    "sysfs " + sysfs_name + "/descriptors: " + e.context() + " (of the configuration at byte " +
                        std::to_string(offset) + ")");
      }
      if (!active || config.configuration_value == *active) return config;
      if (!first) first = std::move(config);
      offset += total;  // parse() saw total >= 9, so the walk moves on
    }
    if (first) return *first;
    throw Error(ErrorCode::malformed_input, "no configuration after the device descriptor", where);
  }
  if (handle == nullptr) {
    throw Error(ErrorCode::not_found, "no sysfs copy of the descriptors and the device is not open", where);
  }
  return read_configuration_descriptor([&](std::uint16_t length) {
    Bytes data(length);
    const int n = libusb_get_descriptor(handle, LIBUSB_DT_CONFIG, 0, data.data(), length);
    if (n < 0) throw libusb_error(n, where);
    data.resize(static_cast<std::size_t>(n));
    return data;
  });
}

// sysfs names a device by its port path ("1-2.3"); a root hub, which has none, "usb<bus>".
std::string sysfs_name(libusb_device* dev, const std::string& port_path) {
  return port_path.find('-') == std::string::npos ? "usb" + std::to_string(libusb_get_bus_number(dev)) : port_path;
}

DeviceDescriptor convert(const libusb_device_descriptor& d) {
  DeviceDescriptor out;
  out.bcd_usb = d.bcdUSB;
  out.device_class = d.bDeviceClass;
  out.device_subclass = d.bDeviceSubClass;
  out.device_protocol = d.bDeviceProtocol;
  out.max_packet_size0 = d.bMaxPacketSize0;
  out.vendor_id = d.idVendor;
  out.product_id = d.idProduct;
  out.bcd_device = d.bcdDevice;
  out.manufacturer_index = d.iManufacturer;
  out.product_index = d.iProduct;
  out.serial_number_index = d.iSerialNumber;
  out.num_configurations = d.bNumConfigurations;
  return out;
}

std::string read_string(libusb_device_handle* h, std::uint8_t index) {
  if (index == 0) return "";
  unsigned char text[256];
  const int n = libusb_get_string_descriptor_ascii(h, index, text, sizeof text);
  return n > 0 ? std::string(reinterpret_cast<char*>(text), static_cast<std::size_t>(n)) : "";
}

LibusbDevice describe_device(libusb_device* dev, bool read_strings) {
  LibusbDevice out;
  out.bus = libusb_get_bus_number(dev);
  out.address = libusb_get_device_address(dev);
  out.port_path = port_path(dev);
  libusb_device_descriptor dd{};
  if (const int rc = libusb_get_device_descriptor(dev, &dd); rc != 0) throw libusb_error(rc, out.port_path);
  out.device = convert(dd);
  libusb_device_handle* h = nullptr;
  if (read_strings) {
    if (const int rc = libusb_open(dev, &h); rc == 0) {
      out.manufacturer = read_string(h, dd.iManufacturer);
      out.product = read_string(h, dd.iProduct);
      out.serial = read_string(h, dd.iSerialNumber);
    } else {
      out.open_error = libusb_error(rc, out.port_path).message();
    }
  }
  try {
    out.configuration = read_active_configuration(sysfs_name(dev, out.port_path), h);
  } catch (const Error& e) {
    out.configuration_error = e.what();
  }
  if (h != nullptr) libusb_close(h);
  return out;
}

bool matches(const LibusbSelector& s, const libusb_device_descriptor& d) {
  return (!s.vendor_id || *s.vendor_id == d.idVendor) && (!s.product_id || *s.product_id == d.idProduct);
}

}  // namespace

std::string LibusbSelector::to_string() const {
  std::string out = (vendor_id ? hex4(*vendor_id) : std::string("*")) + ":" + (product_id ? hex4(*product_id) : "*");
  if (!serial.empty()) out += ":" + serial;
  return out;
}

LibusbSelector parse_libusb_selector(const std::string& text) {
  LibusbSelector s;
  const auto first = text.find(':');
  if (first == std::string::npos) {
    throw Error(ErrorCode::invalid_argument, "want VID:PID[:SERIAL] in hex, got '" + text + "'");
  }
  const auto second = text.find(':', first + 1);
  auto parse_hex = [&](const std::string& part) -> std::uint16_t {
    if (part.empty() || part.size() > 4 || part.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
      throw Error(ErrorCode::invalid_argument, "'" + part + "' is not a 4-digit hex id in '" + text + "'");
    }
    return static_cast<std::uint16_t>(std::stoul(part, nullptr, 16));
  };
  s.vendor_id = parse_hex(text.substr(0, first));
  s.product_id = parse_hex(text.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1));
  if (second != std::string::npos) s.serial = text.substr(second + 1);
  return s;
}

Error libusb_error(int code, const std::string& context) {
  const std::string name = libusb_error_name(code);
  switch (code) {
    case LIBUSB_ERROR_TIMEOUT: return Error(ErrorCode::timeout, "no data within the timeout", context);
    case LIBUSB_ERROR_NO_DEVICE:
      return Error(ErrorCode::device, "device vanished (unplugged, or re-enumerated: reopen it)", context);
    case LIBUSB_ERROR_BUSY:
      return Error(ErrorCode::device,
                   "device busy: another process or driver holds the interface (stop pcscd, or use the pcsc backend)",
                   context);
    case LIBUSB_ERROR_ACCESS:
      return Error(ErrorCode::device, "permission denied: give this user access to /dev/bus/usb (udev rule)", context);
    case LIBUSB_ERROR_NOT_FOUND: return Error(ErrorCode::not_found, "device or interface not found", context);
    case LIBUSB_ERROR_PIPE: return Error(ErrorCode::device, "endpoint stalled", context);
    case LIBUSB_ERROR_OVERFLOW: return Error(ErrorCode::protocol, "device sent more data than requested", context);
    default: return Error(ErrorCode::device, "libusb " + name, context);
  }
}

std::vector<LibusbDevice> libusb_list_devices(bool read_strings) {
  Context context;
  libusb_device** list = nullptr;
  const ssize_t n = libusb_get_device_list(context.ctx, &list);
  if (n < 0) throw libusb_error(static_cast<int>(n), "libusb_get_device_list");
  std::vector<LibusbDevice> out;
  for (ssize_t i = 0; i < n; ++i) {
    try {
      out.push_back(describe_device(list[i], read_strings));
    } catch (const Error&) {
      // A device that vanished while listing is simply not listed.
    }
  }
  libusb_free_device_list(list, 1);
  return out;
}

struct LibusbTransport::Impl {
  LibusbSelector selector;
  Context context;
  libusb_device_handle* handle = nullptr;
  int interface_number = -1;
  bool reattach_kernel_driver = false;
  std::string where;
  // Hot-plug, where libusb has it (Linux with udev or netlink): events for devices matching
  // the selector's VID:PID, delivered while libusb handles events — inside every synchronous
  // transfer and in pump(). Without it, reopen() polls and a vanished device shows up as
  // LIBUSB_ERROR_NO_DEVICE on the next transfer.
  bool hotplug_registered = false;
  libusb_hotplug_callback_handle hotplug_handle = 0;
  libusb_device* opened_device = nullptr;  // matches LEFT events to our device
  bool departed = false;
  unsigned arrivals = 0;

  Impl() = default;
  Impl(const Impl&) = delete;  // the hot-plug callback holds `this`
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    close();
    if (hotplug_registered) libusb_hotplug_deregister_callback(context.ctx, hotplug_handle);
  }

  static int LIBUSB_CALL on_hotplug(libusb_context*, libusb_device* device, libusb_hotplug_event event, void* user) {
    auto* self = static_cast<Impl*>(user);
    if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT && device == self->opened_device) self->departed = true;
    if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED) ++self->arrivals;
    return 0;  // stay registered
  }

  void register_hotplug() {
    if (libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) == 0) return;
    const int vendor = selector.vendor_id ? *selector.vendor_id : LIBUSB_HOTPLUG_MATCH_ANY;
    const int product = selector.product_id ? *selector.product_id : LIBUSB_HOTPLUG_MATCH_ANY;
    const auto events =
        static_cast<libusb_hotplug_event>(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT);
    hotplug_registered = libusb_hotplug_register_callback(context.ctx, events, LIBUSB_HOTPLUG_NO_FLAGS, vendor, product,
                                                          LIBUSB_HOTPLUG_MATCH_ANY, &Impl::on_hotplug, this,
                                                          &hotplug_handle) == LIBUSB_SUCCESS;
  }

  // Lets libusb deliver pending events (hot-plug callbacks), waiting at most `wait`.
  void pump(Duration wait) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::max(wait, Duration::zero())).count();
    timeval tv{static_cast<time_t>(us / 1'000'000), static_cast<suseconds_t>(us % 1'000'000)};
    libusb_handle_events_timeout_completed(context.ctx, &tv, nullptr);
  }

  void close() {
    opened_device = nullptr;
    if (handle == nullptr) return;
    if (interface_number >= 0) libusb_release_interface(handle, interface_number);
    if (reattach_kernel_driver && interface_number >= 0) libusb_attach_kernel_driver(handle, interface_number);
    reattach_kernel_driver = false;
    libusb_close(handle);
    handle = nullptr;
    interface_number = -1;
  }

  void open() {
    libusb_device** list = nullptr;
    const ssize_t n = libusb_get_device_list(context.ctx, &list);
    if (n < 0) throw libusb_error(static_cast<int>(n), "libusb " + selector.to_string());
    std::vector<libusb_device*> candidates;
    std::string skipped;
    for (ssize_t i = 0; i < n; ++i) {
      libusb_device_descriptor d{};
      if (libusb_get_device_descriptor(list[i], &d) != 0 || !matches(selector, d)) continue;
      if (!selector.serial.empty()) {
        const LibusbDevice info = describe_device(list[i], true);
        if (info.serial != selector.serial) {
          skipped += " " + info.port_path + (info.open_error.empty() ? " serial " + info.serial : " (" + info.open_error + ")");
          continue;
        }
      }
      candidates.push_back(list[i]);
    }
    if (candidates.empty()) {
      libusb_free_device_list(list, 1);
      throw Error(ErrorCode::not_found, "no USB device matches " + selector.to_string() + (skipped.empty() ? "" : "; seen:" + skipped),
                  "libusb");
    }
    if (candidates.size() > 1) {
      libusb_free_device_list(list, 1);
      throw Error(ErrorCode::invalid_argument,
                  std::to_string(candidates.size()) + " devices match " + selector.to_string() + ": add :SERIAL",
                  "libusb");
    }
    libusb_device* dev = candidates.front();
    const LibusbDevice info = describe_device(dev, false);
    where = "libusb:" + info.port_path + " (" + selector.to_string() + ")";
    const std::string name = sysfs_name(dev, info.port_path);
    // The configuration before the device is opened: one the parser refuses is never claimed.
    std::optional<ConfigurationDescriptor> configuration;
    try {
      configuration = read_active_configuration(name, nullptr);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::not_found) {
        libusb_free_device_list(list, 1);
        throw Error(e.code(), e.message(), where + ": " + e.context());
      }
    }
    const int rc = libusb_open(dev, &handle);
    libusb_free_device_list(list, 1);
    if (rc != 0) throw libusb_error(rc, where + " open");
    if (!configuration) {  // no sysfs copy: ask the device
      try {
        configuration = read_active_configuration(name, handle);
      } catch (const Error& e) {
        close();
        throw Error(e.code(), e.message(), where + ": " + e.context());
      }
    }
    const InterfaceDescriptor* itf = configuration->find_interface_by_class(selector.interface_class);
    if (itf == nullptr) {
      close();
      throw Error(ErrorCode::device, "the device has no interface of class 0x" + hex4(selector.interface_class).substr(2),
                  where);
    }
    // A kernel driver bound to the interface (e.g. usbhid on a composite reader) is detached
    // while we hold it and re-attached on close.
    if (libusb_kernel_driver_active(handle, itf->number) == 1) {
      if (const int detach = libusb_detach_kernel_driver(handle, itf->number); detach != 0) {
        close();
        throw libusb_error(detach, where + " detach kernel driver from interface " + std::to_string(itf->number));
      }
      reattach_kernel_driver = true;
    }
    if (const int claim = libusb_claim_interface(handle, itf->number); claim != 0) {
      close();
      throw libusb_error(claim, where + " claim interface " + std::to_string(itf->number));
    }
    interface_number = itf->number;
    opened_device = libusb_get_device(handle);
    departed = false;
  }

  libusb_device_handle* require(const char* what) {
    if (handle == nullptr) throw Error(ErrorCode::device, "device vanished earlier; reopen it", where + " " + what);
    if (hotplug_registered) {
      pump(Duration::zero());
      if (departed) {
        // Told by hot-plug: fail now rather than on a transfer's timeout (a reader without
        // an interrupt pipe is only polled, and a half-gone device may just stay silent).
        close();
        throw Error(ErrorCode::device, "device vanished (hot-plug: unplugged or re-enumerated; reopen it)",
                    where + " " + what);
      }
    }
    return handle;
  }
  // A vanished device stays closed until reopen(), so later calls fail fast and clearly.
  [[noreturn]] void fail(int rc, const std::string& what) {
    Error e = libusb_error(rc, where + " " + what);
    if (rc == LIBUSB_ERROR_NO_DEVICE) close();
    throw e;
  }
};

LibusbTransport::LibusbTransport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LibusbTransport::~LibusbTransport() = default;

std::unique_ptr<LibusbTransport> LibusbTransport::open(const LibusbSelector& selector) {
  auto impl = std::make_unique<Impl>();
  impl->selector = selector;
  impl->where = "libusb " + selector.to_string();
  impl->register_hotplug();
  impl->open();
  return std::unique_ptr<LibusbTransport>(new LibusbTransport(std::move(impl)));
}

void LibusbTransport::reopen(Duration timeout) {
  impl_->close();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    try {
      impl_->open();
      return;
    } catch (const Error& e) {
      if (e.code() != ErrorCode::not_found || std::chrono::steady_clock::now() >= deadline) throw;
    }
    if (impl_->hotplug_registered) {
      // Sleep until a matching device arrives (or 1 s, in case an event was coalesced away).
      const unsigned seen = impl_->arrivals;
      const auto until = std::min(deadline, std::chrono::steady_clock::now() + 1s);
      while (impl_->arrivals == seen && std::chrono::steady_clock::now() < until) {
        impl_->pump(std::chrono::duration_cast<Duration>(until - std::chrono::steady_clock::now()));
      }
    } else {
      std::this_thread::sleep_for(200ms);
    }
  }
}

bool LibusbTransport::hotplug() const { return impl_->hotplug_registered; }

bool LibusbTransport::attached() {
  if (impl_->handle == nullptr) return false;
  if (!impl_->hotplug_registered) return true;  // no news without hot-plug: the next transfer tells
  impl_->pump(Duration::zero());
  return !impl_->departed;
}

std::string LibusbTransport::describe() const { return impl_->where; }

Bytes LibusbTransport::control_in(const SetupPacket& setup, Duration timeout) {
  Bytes data(setup.length);
  const int n = libusb_control_transfer(impl_->require("control IN"), setup.request_type, setup.request, setup.value,
                                        setup.index, data.data(), setup.length, timeout_ms(timeout));
  if (n < 0) impl_->fail(n, "control IN");
  data.resize(static_cast<std::size_t>(n));
  return data;
}

void LibusbTransport::control_out(const SetupPacket& setup, ByteView data, Duration timeout) {
  Bytes copy(data.begin(), data.end());  // libusb's API takes a mutable buffer
  const int n = libusb_control_transfer(impl_->require("control OUT"), setup.request_type, setup.request, setup.value,
                                        setup.index, copy.data(), static_cast<std::uint16_t>(copy.size()),
                                        timeout_ms(timeout));
  if (n < 0) impl_->fail(n, "control OUT");
}

void LibusbTransport::bulk_out(std::uint8_t endpoint, ByteView data, Duration timeout) {
  Bytes copy(data.begin(), data.end());
  int sent = 0;
  const int rc = libusb_bulk_transfer(impl_->require("bulk OUT"), endpoint, copy.data(), static_cast<int>(copy.size()),
                                      &sent, timeout_ms(timeout));
  if (rc != 0) impl_->fail(rc, "bulk OUT");
  if (static_cast<std::size_t>(sent) != copy.size()) {
    throw Error(ErrorCode::device, "bulk OUT sent " + std::to_string(sent) + " of " + std::to_string(copy.size()),
                impl_->where);
  }
}

Bytes LibusbTransport::bulk_in(std::uint8_t endpoint, std::size_t max_length, Duration timeout) {
  Bytes data(max_length);
  int got = 0;
  const int rc = libusb_bulk_transfer(impl_->require("bulk IN"), endpoint, data.data(), static_cast<int>(max_length),
                                      &got, timeout_ms(timeout));
  if (rc != 0 && !(rc == LIBUSB_ERROR_TIMEOUT && got > 0)) impl_->fail(rc, "bulk IN");
  data.resize(static_cast<std::size_t>(got));
  return data;
}

Bytes LibusbTransport::interrupt_in(std::uint8_t endpoint, std::size_t max_length, Duration timeout) {
  Bytes data(max_length);
  int got = 0;
  const int rc = libusb_interrupt_transfer(impl_->require("interrupt IN"), endpoint, data.data(),
                                           static_cast<int>(max_length), &got, timeout_ms(timeout));
  if (rc != 0) impl_->fail(rc, "interrupt IN");
  data.resize(static_cast<std::size_t>(got));
  return data;
}

}  // namespace onshi::usb
