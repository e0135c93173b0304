#pragma once
// [ons] kind = "embedded-mock": the mock ONS in this process, on 127.0.0.1 at an ephemeral
// port, requiring the facility's terminal certificate, serving the rig's interface profile.
#include "onshi/links/link_settings.hpp"
#include "onshi/links/link_table.hpp"

namespace onshi::mocks::ons {

struct EmbeddedMockSettings final : links::LinkSettings {
  unsigned threads = 2;
  links::RigPath faults;  // fault plan JSON installed at start (docs/fault-plan.md); empty = none
  int admin_port = -1;    // admin API on 127.0.0.1: -1 off, 0 ephemeral
};

}  // namespace onshi::mocks::ons
