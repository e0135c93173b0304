#pragma once
// The ONS link as the reception flow sees it: one card-path inquiry in, one result out.
// Bound by the rig to the mTLS ONS client (mock or verification environment).
#include <string>

#include "onshi/ons/card_inquiry.hpp"
#include "onshi/ons/qualification_result.hpp"

namespace onshi::flow {

class QualificationClient {
 public:
  virtual ~QualificationClient() = default;
  // Throws Error(tls/protocol/timeout/malformed_input) when no usable answer arrives.
  virtual ons::QualificationResult inquire(const ons::CardQualificationInquiry& inquiry) = 0;
  virtual std::string endpoint() const = 0;
};

}  // namespace onshi::flow
