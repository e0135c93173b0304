#pragma once
// Runs the mock ONS in the foreground until SIGINT/SIGTERM: what `onshi-hil mock ons` and the
// standalone onshi-ons-mock both do. Prints "listening on https://ADDR:PORT" to `out` once
// ready (and "admin on http://127.0.0.1:PORT" when the admin API is on), request lines to
// `log`, a summary at the end; with `journal_file`, the journal as JSON when stopping.
// Returns the process exit code.
#include <filesystem>
#include <ostream>

#include "onshi/mocks/ons/ons_mock_server.hpp"

namespace onshi::mocks::ons {

int serve_until_signalled(OnsMockOptions options, std::ostream& out, std::ostream& log,
                          const std::filesystem::path& journal_file = {});

}  // namespace onshi::mocks::ons
