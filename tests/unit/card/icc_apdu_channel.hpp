#pragma once
// The smallest ApduChannel over an Icc: what a CCID reader does for JpkiClient, minus the
// reader. Records every command it sent so tests can count round trips.
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
