#pragma once
// One plain-HTTP connection to the mock ONS's admin API (admin_api.hpp for what it serves).
// Private to mocks/ons/src (Asio stays out of public headers).
// -Wnull-dereference fires inside Asio's scheduler after inlining; it is not our code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/ip/tcp.hpp>
#pragma GCC diagnostic pop

namespace onshi::mocks::ons::detail {

struct MockServerState;

// Serves an accepted admin connection on the socket's executor.
void start_admin_session(boost::asio::ip::tcp::socket socket, MockServerState& state);

}  // namespace onshi::mocks::ons::detail
