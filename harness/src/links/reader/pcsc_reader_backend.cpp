// [reader] kind = "pcsc": any reader pcscd offers, through PC/SC (libpcsclite).
#include "onshi/links/reader/remote_reader_settings.hpp"
#include "onshi/links/reader_backend.hpp"
#include "onshi/reader/pcsc_card_reader.hpp"

namespace onshi::links {
namespace {

class PcscReaderLink final : public ReaderLink {
 public:
  explicit PcscReaderLink(const PcscReaderSettings& s)
      : reader_(reader::PcscReaderOptions{s.name, reader::parse_pcsc_protocol(s.protocol)}) {}
  reader::CardReader& reader() override { return reader_; }

 private:
  reader::PcscCardReader reader_;
};

ReaderBackend pcsc_reader_backend() {
  ReaderBackend b;
  b.name = "pcsc";
  b.summary = "a reader pcscd offers (name = substring of its PC/SC name, protocol = any|t0|t1)";
  b.keys = {"name", "protocol"};
  b.retired_keys = {{"vpcd", "the virtual card exported into pcscd is its own reader kind now: kind = \"vpcd\""}};
  b.parse = [](const LinkTable& t) {
    auto s = std::make_shared<PcscReaderSettings>();
    s->name = t.string("name");
    s->protocol = t.one_of("protocol", "any", {"any", "t0", "t1"});
    return s;
  };
  b.open = [](const LinkSettings& s, ReaderOpenContext) -> std::unique_ptr<ReaderLink> {
    return std::make_unique<PcscReaderLink>(dynamic_cast<const PcscReaderSettings&>(s));
  };
  return b;
}

}  // namespace

ONSHI_REGISTER_LINK_BACKEND(ReaderBackend, pcsc_reader_backend())

}  // namespace onshi::links
