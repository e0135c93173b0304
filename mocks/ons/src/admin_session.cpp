#include "admin_session.hpp"

#include <optional>
#include <string>
#include <string_view>

// -Wnull-dereference fires inside Asio's scheduler after inlining; it is not our code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#pragma GCC diagnostic pop

#include "mock_server_state.hpp"
#include "onshi/mocks/ons/admin_api.hpp"

namespace onshi::mocks::ons::detail {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using boost::system::error_code;

// One plain-HTTP connection to the admin API (loopback only); keep-alive, bounded reads.
// A request over the bounds gets its status (414, 431, 413) or 400, then the connection
// closes: answered, never just dropped.
class AdminSession : public std::enable_shared_from_this<AdminSession> {
 public:
  AdminSession(tcp::socket socket, MockServerState& state) : state_(state), stream_(std::move(socket)) {}

  void start() { read(); }

 private:
  static constexpr std::size_t kHeaderLimit = 16 * 1024;
  static constexpr std::size_t kBodyLimit = std::size_t{1} << 20;
  // After a refusal, what the peer still sends is read and dropped (so the close is a FIN
  // the peer can read the answer before, not an RST), up to this much.
  static constexpr std::size_t kDrainLimit = std::size_t{8} << 20;

  void read() {
    if (state_.stopping) return;
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(kBodyLimit);
    stream_.expires_after(std::chrono::seconds(10));
    http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](error_code ec, std::size_t) {
      if (ec) return self->on_read_error(ec);
      self->answer();
    });
  }

  void on_read_error(error_code ec) {
    if (ec == http::error::header_limit) {
      if (request_line_too_long()) return refuse(414, "request line longer than " + std::to_string(kHeaderLimit) + " bytes");
      return refuse(431, "request header longer than " + std::to_string(kHeaderLimit) + " bytes");
    }
    if (ec == http::error::body_limit) return refuse(413, "request body exceeds " + std::to_string(kBodyLimit) + " bytes");
    const bool bad_request = ec.category() == make_error_code(http::error::bad_method).category() &&
                             ec != http::error::partial_message && ec != http::error::end_of_stream;
    if (bad_request) return refuse(400, "bad HTTP request: " + ec.message());
    close();  // end of stream, reset, timeout: nobody to answer
  }

  // Whether the header that overflowed the limit is still in its first line (the URL).
  bool request_line_too_long() const {
    const auto data = buffer_.cdata();
    const std::string_view received(static_cast<const char*>(data.data()), data.size());
    const std::size_t end_of_line = received.find("\r\n");
    return end_of_line == std::string_view::npos || end_of_line >= kHeaderLimit;
  }

  void answer() {
    const auto& req = parser_->get();
    AdminReply reply;
    try {
      reply = handle_admin(std::string(req.method_string()), std::string(req.target()), req.body(), state_.faults,
                           state_.journal, state_.stats());
    } catch (const std::exception& e) {
      // A bug must cost one answer, not the process (an exception here would end io.run()).
      reply = admin_error_reply(500, std::string("internal error: ") + e.what());
    }
    send(reply, req.version(), req.keep_alive() && !state_.stopping);
  }

  void refuse(unsigned status, const std::string& message) {
    send(admin_error_reply(status, message), 11, false);
  }

  void send(const AdminReply& reply, unsigned version, bool keep_alive) {
    response_.emplace(static_cast<http::status>(reply.status), version);
    response_->set(http::field::server, "onshi-ons-mock admin");
    response_->set(http::field::content_type, reply.content_type);
    response_->body() = reply.body;
    response_->keep_alive(keep_alive);
    response_->prepare_payload();
    http::async_write(stream_, *response_, [self = shared_from_this()](error_code ec, std::size_t) {
      if (ec) return self->close();
      if (!self->response_->keep_alive()) return self->drain();
      self->read();
    });
  }

  void drain() {
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    drain_buffer_.resize(16 * 1024);
    stream_.expires_after(std::chrono::seconds(2));
    drain_more();
  }

  void drain_more() {
    stream_.async_read_some(net::buffer(drain_buffer_), [self = shared_from_this()](error_code ec, std::size_t n) {
      self->drained_ += n;
      if (ec || self->drained_ > kDrainLimit) return self->close();
      self->drain_more();
    });
  }

  void close() {
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  MockServerState& state_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> response_;
  std::string drain_buffer_;
  std::size_t drained_ = 0;
};

}  // namespace

void start_admin_session(tcp::socket socket, MockServerState& state) {
  std::make_shared<AdminSession>(std::move(socket), state)->start();
}

}  // namespace onshi::mocks::ons::detail
