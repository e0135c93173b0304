#include "onshi/mocks/reader/vpcd_export.hpp"

namespace onshi::mocks::reader {

VpcdExport::VpcdExport(std::shared_ptr<iso7816::Icc> card, HostPort vpcd, unsigned pull_card_at_apdu,
                       Duration connect_timeout)
    : client_(std::move(card), std::move(vpcd)) {
  client_.pull_card_at_apdu(pull_card_at_apdu);
  thread_ = std::thread([this, connect_timeout] {
    try {
      client_.serve(stop_, connect_timeout);
    } catch (const std::exception& e) {
      error_ = e.what();
    }
    done_ = true;  // publishes error_ and the stats to the reader threads
  });
}

VpcdExport::~VpcdExport() {
  stop_ = true;
  thread_.join();  // serve() checks stop at least every 100 ms (and every 200 ms while connecting)
}

std::string VpcdExport::error() const { return done_ ? error_ : std::string(); }

VpcdStats VpcdExport::stats() const { return done_ ? client_.stats() : VpcdStats{}; }

}  // namespace onshi::mocks::reader
