#pragma once
// The reader link: how the harness reaches the card reader. Backends: emulated (mocks/reader:
// the emulated CCID reader, in-process or over USB/IP on loopback), vpcd (mocks/reader: the
// virtual card exported into pcscd), usbip, libusb, pcsc (harness/src/links/reader/).
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "onshi/iso7816/icc.hpp"
#include "onshi/links/link_settings.hpp"
#include "onshi/links/link_table.hpp"
#include "onshi/links/registry.hpp"
#include "onshi/reader/card_reader.hpp"

namespace onshi::links {

// An opened reader link: the CardReader the flow uses, owning whatever must stay alive
// behind it (an emulated device, the server exporting it), torn down host side first.
class ReaderLink {
 public:
  virtual ~ReaderLink() = default;
  virtual reader::CardReader& reader() = 0;
};

struct ReaderOpenContext {
  std::shared_ptr<iso7816::Icc> card;  // the card link's emulated card; null for a physical card
  std::string where;                   // "rig FILE: [reader] kind=…" for errors
};

struct ReaderBackend {
  static constexpr const char* link = "reader";
  std::string name;
  std::string summary;
  std::vector<std::string> keys;  // the keys of [reader] it takes besides kind
  // Keys that once meant something here, with what to write instead (the error says so).
  std::vector<std::pair<std::string, std::string>> retired_keys;
  // Whether the reader holds the card link's emulated card (else it reads a physical card).
  bool hosts_emulated_card = false;
  std::function<std::shared_ptr<const LinkSettings>(const LinkTable&)> parse;
  std::function<std::unique_ptr<ReaderLink>(const LinkSettings&, ReaderOpenContext)> open;
};

using ReaderRegistry = Registry<ReaderBackend>;

}  // namespace onshi::links
