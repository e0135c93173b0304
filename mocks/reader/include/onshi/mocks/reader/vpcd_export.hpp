#pragma once
// A VpcdClient serving on its own thread for as long as this object lives: how a rig puts
// the scenario's virtual card into pcscd's "Virtual PCD" reader and reads it back through
// PC/SC. The destructor stops the client (closing the slot = card removed for pcscd).
#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "onshi/mocks/reader/vpcd_client.hpp"

namespace onshi::mocks::reader {

class VpcdExport {
 public:
  // Starts connecting at once (retrying until `connect_timeout`); `pull_card_at_apdu` > 0
  // injects the card-removed fault on that C-APDU.
  VpcdExport(std::shared_ptr<iso7816::Icc> card, HostPort vpcd, unsigned pull_card_at_apdu = 0,
             Duration connect_timeout = std::chrono::seconds(10));
  ~VpcdExport();
  VpcdExport(const VpcdExport&) = delete;
  VpcdExport& operator=(const VpcdExport&) = delete;

  // Read once the serving thread has ended (card pulled, vpcd gone); "" / zeros before.
  std::string error() const;
  VpcdStats stats() const;

 private:
  VpcdClient client_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> done_{false};
  std::string error_;
  std::thread thread_;
};

}  // namespace onshi::mocks::reader
