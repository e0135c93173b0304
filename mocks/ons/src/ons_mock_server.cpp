#include "onshi/mocks/ons/ons_mock_server.hpp"

#include <algorithm>

// -Wnull-dereference fires inside Asio's scheduler after inlining; it is not our code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/ip/tcp.hpp>
#pragma GCC diagnostic pop

#include "admin_session.hpp"
#include "connection_session.hpp"
#include "listener.hpp"
#include "mock_server_state.hpp"
#include "onshi/core/error.hpp"
#include "worker_pool.hpp"

// The server assembled from its parts: the shared state (mock_server_state.hpp, with the
// per-worker TLS contexts of tls_context_pool.hpp), the workers (worker_pool.hpp), the two
// listeners (listener.hpp) and the sessions they start (connection_session.hpp,
// admin_session.hpp).
namespace onshi::mocks::ons {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using boost::system::error_code;

struct OnsMockServer::Impl {
  explicit Impl(OnsMockOptions options)
      : state(std::make_unique<detail::MockServerState>(std::move(options))),
        workers(std::max(1u, state->options.threads), state->options.handshake_nice) {}

  void start() {
    if (started) throw Error(ErrorCode::state, "already started", "mock ONS");
    const OnsMockOptions& o = state->options;
    error_code ec;
    const net::ip::address address = net::ip::make_address(o.bind_address, ec);
    if (ec) throw Error(ErrorCode::invalid_argument, "bad bind address: " + ec.message(), o.bind_address);
    port = ons.open(tcp::endpoint(address, o.port), net::socket_base::max_listen_connections,
                    o.bind_address + ":" + std::to_string(o.port));
    // The admin API listens on 127.0.0.1 whatever the ONS bind address: it can change faults.
    if (o.admin_port >= 0) {
      const auto wanted = static_cast<std::uint16_t>(o.admin_port);
      admin_port = admin.open(tcp::endpoint(net::ip::address_v4::loopback(), wanted), 16,
                              "admin 127.0.0.1:" + std::to_string(wanted));
    }
    started = true;
    // Accepted onto a handshake worker; the session moves to a request worker once its
    // handshake is done (worker_pool.hpp).
    ons.start([this]() -> net::io_context& { return workers.handshake_context(next_handshake_worker = workers.next_handshake_worker()); },
              [this](tcp::socket socket) {
                ++state->connections;
                error_code ignored;
                socket.set_option(tcp::no_delay(true), ignored);
                detail::start_connection_session(std::move(socket), *state, workers,
                                                 state->tls_contexts.for_worker(next_handshake_worker));
              },
              state->stopping);
    if (admin.is_open()) {
      admin.start([this]() -> net::io_context& { return workers.context(0); },
                  [this](tcp::socket socket) { detail::start_admin_session(std::move(socket), *state); },
                  state->stopping);
    }
    workers.run();
  }

  void stop() {
    if (!started || stopped) return;
    stopped = true;
    state->stopping = true;
    ons.close();
    admin.close();
    {
      auto live = state->live_sessions();
      for (const auto& s : live) detail::close_connection_session(s);
    }  // released outside the registry's lock: the last reference may run the destructor
    state->wait_for_no_sessions(std::chrono::seconds(3));
    workers.stop();
  }

  // Declared before the workers: handlers still queued at destruction hold sessions that
  // refer to it.
  std::unique_ptr<detail::MockServerState> state;
  detail::WorkerPool workers;
  detail::Listener ons{workers};
  detail::Listener admin{workers};
  std::size_t next_handshake_worker = 0;  // the acceptor's handler's: where the accept in flight lands
  std::uint16_t port = 0;
  std::uint16_t admin_port = 0;
  bool started = false;
  bool stopped = false;
};

OnsMockServer::OnsMockServer(OnsMockOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
OnsMockServer::~OnsMockServer() { stop(); }

void OnsMockServer::start() { impl_->start(); }
void OnsMockServer::stop() { impl_->stop(); }
std::uint16_t OnsMockServer::port() const { return impl_->port; }

std::string OnsMockServer::url() const {
  const std::string& host = impl_->state->options.bind_address;
  const bool v6 = host.find(':') != std::string::npos;
  return "https://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(impl_->port);
}

OnsMockStats OnsMockServer::stats() const { return impl_->state->stats(); }
std::uint16_t OnsMockServer::admin_port() const { return impl_->admin_port; }
std::string OnsMockServer::admin_url() const {
  return impl_->admin_port == 0 ? std::string() : "http://127.0.0.1:" + std::to_string(impl_->admin_port);
}
const Journal& OnsMockServer::journal() const { return impl_->state->journal; }
FaultInjector& OnsMockServer::faults() { return impl_->state->faults; }

}  // namespace onshi::mocks::ons
