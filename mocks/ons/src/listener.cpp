#include "listener.hpp"

#include <memory>

// -Wnull-dereference fires inside Asio's scheduler after inlining; it is not our code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#pragma GCC diagnostic pop

#include "onshi/core/error.hpp"

namespace onshi::mocks::ons::detail {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using boost::system::error_code;

Listener::Listener(WorkerPool& workers) : acceptor_(workers.context(0)) {}

std::uint16_t Listener::open(const tcp::endpoint& endpoint, int backlog, const std::string& where) {
  error_code ec;
  if (acceptor_.open(endpoint.protocol(), ec); ec) throw Error(ErrorCode::io, "socket: " + ec.message(), where);
  if (acceptor_.set_option(net::socket_base::reuse_address(true), ec); ec) {
    throw Error(ErrorCode::io, "SO_REUSEADDR: " + ec.message(), where);
  }
  if (acceptor_.bind(endpoint, ec); ec) throw Error(ErrorCode::io, "cannot bind: " + ec.message(), where);
  if (acceptor_.listen(backlog, ec); ec) throw Error(ErrorCode::io, "cannot listen: " + ec.message(), where);
  return acceptor_.local_endpoint().port();
}

void Listener::start(ChooseContext choose_context, OnAccept on_accept, const std::atomic<bool>& stopping) {
  choose_context_ = std::move(choose_context);
  on_accept_ = std::move(on_accept);
  stopping_ = &stopping;
  accept();
}

void Listener::accept() {
  acceptor_.async_accept(choose_context_(), [this](error_code ec, tcp::socket socket) {
    if (*stopping_ || !acceptor_.is_open()) return;
    if (ec) {
      auto timer = std::make_shared<net::steady_timer>(acceptor_.get_executor(), std::chrono::milliseconds(50));
      timer->async_wait([this, timer](error_code) {
        if (!*stopping_) accept();
      });
      return;
    }
    on_accept_(std::move(socket));
    accept();
  });
}

void Listener::close() {
  net::post(acceptor_.get_executor(), [this] {
    error_code ignored;
    acceptor_.close(ignored);
  });
}

}  // namespace onshi::mocks::ons::detail
