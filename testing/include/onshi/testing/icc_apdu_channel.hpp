#pragma once
// IccApduChannel: an iso7816::ApduChannel straight over an Icc, what a reader does for
// JpkiClient minus the reader. It records every command it sent, so tests can count round
// trips and check the exact bytes.
//
//   mocks::card::VirtualMyNumberCard card(...);
//   onshi::testing::IccApduChannel channel(card);
//   jpki::JpkiClient client(channel);  ... channel.sent.size()
#include <vector>

#include "onshi/iso7816/apdu_channel.hpp"
#include "onshi/iso7816/icc.hpp"

namespace onshi::testing {

class IccApduChannel final : public iso7816::ApduChannel {
 public:
  explicit IccApduChannel(iso7816::Icc& card) : card_(card) {}

  iso7816::ResponseApdu transmit(const iso7816::CommandApdu& command) override {
    sent.push_back(command.encode());
    return iso7816::ResponseApdu::parse(card_.transmit(sent.back()));
  }

  std::vector<Bytes> sent;

 private:
  iso7816::Icc& card_;
};

}  // namespace onshi::testing
