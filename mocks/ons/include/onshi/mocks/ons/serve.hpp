#pragma once
// Runs the mock ONS in the foreground until SIGINT/SIGTERM: what `onshi-hil mock ons` and the
// standalone onshi-ons-mock both do. Prints "listening on https://ADDR:PORT" to `out` once
// ready, request lines to `log`, a summary at the end. Returns the process exit code.
#include <ostream>

#include "onshi/mocks/ons/ons_mock_server.hpp"

namespace onshi::mocks::ons {

int serve_until_signalled(OnsMockOptions options, std::ostream& out, std::ostream& log);

}  // namespace onshi::mocks::ons
