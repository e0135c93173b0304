#pragma once
// What a receipt-computer check and a load against a receipt computer set up alike: the
// context the rig's [sut] opens in (its folders, the PKI, the rig's folder) and the harness's
// terminal that answers the SUT's requests in req/ through the rig's ONS.
#include <chrono>
#include <memory>

#include "onshi/links/sut_backend.hpp"
#include "onshi/ons/ons_client.hpp"
#include "onshi/rig/rig_config.hpp"
#include "onshi/rig/wired_rig.hpp"
#include "onshi/terminal/terminal_service.hpp"

namespace onshi::receipt_computer_check {

links::SutOpenContext sut_open_context(const rig::RigConfig& config, const rig::WiredRig& wired);

// The terminal over `wired`'s shared folders, asking the ONS through `ons` (made from `client`;
// the terminal keeps a reference to it).
std::unique_ptr<terminal::TerminalService> harness_terminal(const rig::RigConfig& config, const rig::WiredRig& wired,
                                                            ons::OnsClient& ons, const ons::OnsClientOptions& client,
                                                            std::chrono::milliseconds settle);

}  // namespace onshi::receipt_computer_check
