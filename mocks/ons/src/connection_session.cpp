#include "connection_session.hpp"

#include <mutex>
#include <optional>

// -Wnull-dereference fires inside Asio's scheduler after inlining; it is not our code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#pragma GCC diagnostic pop
#include <openssl/err.h>
#include <openssl/x509.h>

#include "mock_server_state.hpp"
#include "onshi/mocks/ons/access_refusal.hpp"
#include "onshi/ons/codes.hpp"
#include "onshi/tls/session_info.hpp"
#include "response_wire.hpp"
#include "tls_socket_stream.hpp"
#include "worker_pool.hpp"

namespace onshi::mocks::ons::detail {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using boost::system::error_code;
using SteadyClock = std::chrono::steady_clock;

namespace {

using Stream = TlsSocketStream;

constexpr std::size_t kHeaderLimit = 16 * 1024;
constexpr std::chrono::milliseconds kShutdownTimeout{2000};
// What a refused client may still send (drain()): bounded in time and bytes.
constexpr std::chrono::milliseconds kDrainTimeout{2000};
constexpr std::size_t kDrainLimit = std::size_t{8} << 20;

WallTime wall_now() { return std::chrono::system_clock::now(); }

template <class Since>
std::chrono::microseconds micros_since(Since start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - start);
}

}  // namespace

// One TLS connection: handshake, then HTTP/1.1 requests until either side closes.
class ConnectionSession : public std::enable_shared_from_this<ConnectionSession> {
 public:
  // `socket` is on one of `workers`' handshake workers.
  ConnectionSession(tcp::socket socket, MockServerState& state, WorkerPool& workers, SSL_CTX* tls_context)
      : state_(state), workers_(workers), stream_(std::move(socket), tls_context) {
    error_code ec;
    const tcp::endpoint peer = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
    if (!ec) remote_ = peer.address().to_string() + ":" + std::to_string(peer.port());
  }
  ~ConnectionSession() {
    if (worker_load_ != nullptr) --*worker_load_;
    state_.forget(this);
  }
  ConnectionSession(const ConnectionSession&) = delete;
  ConnectionSession& operator=(const ConnectionSession&) = delete;

  void start() {
    state_.enlist(shared_from_this());
    stream_.set_owner(weak_from_this());
    if (!stream_.ok()) return net::post(stream_.get_executor(), [self = shared_from_this()] { self->close_now(); });
    net::dispatch(stream_.get_executor(), beast::bind_front_handler(&ConnectionSession::handshake, shared_from_this()));
  }

  // From stop(), on any thread: cancel whatever is pending; the handlers then end the
  // session. Run where the session lives; if it moved to its request worker in between, the
  // close follows it there.
  static void close(const std::shared_ptr<ConnectionSession>& self) {
    const auto executor = self->executor();
    net::post(executor, [self, executor] {
      if (self->executor() != executor) return close(self);
      self->timer_.cancel();
      beast::get_lowest_layer(self->stream_).close();
    });
  }

 private:
  void handshake() {
    if (const auto alert = state_.faults.on_connection()) {
      injected_alert_ = *alert;
      inject_handshake_alert(stream_.native_handle(), &injected_alert_);
    }
    handshake_started_ = SteadyClock::now();
    beast::get_lowest_layer(stream_).expires_after(state_.options.handshake_timeout);
    stream_.async_handshake(beast::bind_front_handler(&ConnectionSession::on_handshake, shared_from_this()));
  }

  void on_handshake(error_code ec) {
    if (ec) {
      if (state_.stopping) return;  // cancelled by stop(), not refused
      ++state_.handshake_failures;
      MockLogEntry entry;
      entry.kind = MockLogEntry::Kind::handshake_failure;
      entry.remote = remote_;
      entry.received_at = wall_now();
      entry.handshake_duration = micros_since(handshake_started_);
      entry.note = ec.message();
      const long verify = SSL_get_verify_result(stream_.native_handle());
      if (verify != X509_V_OK) entry.note += std::string(" (") + X509_verify_cert_error_string(verify) + ")";
      if (injected_alert_ > 0) {
        entry.fault = "tls_alert";
      } else {
        const bool ssl_error = ec.category() == net::error::get_ssl_category();
        const int reason = ssl_error ? ERR_GET_REASON(static_cast<unsigned long>(ec.value())) : 0;
        entry.refusal = std::string(to_string(classify_handshake_failure(verify, reason)));
      }
      if (X509* peer = SSL_get0_peer_certificate(stream_.native_handle())) {
        X509_up_ref(peer);
        describe_client(crypto::Certificate(peer));
        entry.client_subject = client_subject_;
        entry.client_serial = client_serial_;
        entry.client_fingerprint = client_fingerprint_;
        entry.facility_code = facility_;
      }
      state_.log(entry);
      return;  // the socket closes with the session
    }
    ++state_.handshakes;
    handshake_duration_ = micros_since(handshake_started_);
    tls_ = tls::session_info(stream_.native_handle());
    move_to_request_worker();
  }

  // From the handshake worker to the request worker with the fewest sessions: the socket and
  // both timers are made anew on its io_context (nothing is pending on them here), and the
  // first read starts there.
  void move_to_request_worker() {
    const std::size_t worker = workers_.least_loaded();
    worker_load_ = &workers_.load(worker);
    ++*worker_load_;
    net::io_context& target = workers_.context(worker);
    bool moved = false;
    {
      const std::lock_guard lock(executor_mutex_);
      timer_ = net::steady_timer(target);
      moved = stream_.move_to(target);
    }
    if (!moved) {
      log_note("could not move the connection to its request worker");
      return close_now();
    }
    net::post(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

  net::any_io_executor executor() {
    const std::lock_guard lock(executor_mutex_);
    return stream_.get_executor();
  }

  // The terminal certificate's journal fields, worked out when the first entry needs them:
  // a connection that only handshakes (a health check, the bench) never pays for them.
  void describe_verified_client() const {
    if (described_ || !tls_.peer_certificate) return;
    described_ = true;
    describe_client(*tls_.peer_certificate);
  }

  void describe_client(const crypto::Certificate& cert) const {
    facility_ = cert.subject_attribute("serialNumber");
    client_subject_ = cert.subject();
    client_serial_ = cert.serial_hex();
    client_fingerprint_ = cert.sha256_fingerprint();
  }

  void read() {
    if (state_.stopping) return shutdown();
    parser_.emplace();
    parser_->body_limit(state_.options.max_body_bytes);
    parser_->header_limit(kHeaderLimit);
    // The first request must come promptly; later ones may follow an idle keep-alive gap.
    beast::get_lowest_layer(stream_).expires_after(served_ == 0 ? state_.options.read_timeout
                                                                : state_.options.idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_, beast::bind_front_handler(&ConnectionSession::on_header, shared_from_this()));
  }

  void on_header(error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    started_ = SteadyClock::now();
    received_at_ = wall_now();
    beast::get_lowest_layer(stream_).expires_after(state_.options.read_timeout);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&ConnectionSession::on_read, shared_from_this()));
  }

  void on_read_error(error_code ec) {
    if (ec == http::error::end_of_stream) return shutdown();
    if (ec == http::error::body_limit) {
      return refuse(413, "request body exceeds " + std::to_string(state_.options.max_body_bytes) + " bytes");
    }
    if (ec.category() == make_error_code(http::error::bad_method).category() && ec != http::error::partial_message) {
      return refuse(400, "bad HTTP request: " + ec.message());
    }
    // Timeout, reset, TLS alert, truncation: nobody left to answer. An idle keep-alive
    // connection timing out is routine; a request stalled half-way is worth a line.
    if (ec == beast::error::timeout && parser_ && parser_->got_some()) log_note("request read timed out");
    close_now();
  }

  void on_read(error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    ++state_.requests;
    auto& req = parser_->get();
    MockRequest request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    request.content_type = std::string(req[http::field::content_type]);
    request.body = std::move(req.body());
    request.terminal_certificate = tls_.peer_certificate;
    // Read once per connection, at its first request (a connection that only handshakes never
    // needs it): every request checks it against its header.
    if (facility_.empty() && tls_.peer_certificate) facility_ = tls_.peer_certificate->subject_attribute("serialNumber");
    request.terminal_facility = facility_;
    request.authorization = std::string(req[http::field::authorization]);

    FaultDecision decision = state_.faults.on_request(request.target);
    if (decision.delay.count() > 0) {
      timer_.expires_after(decision.delay);
      timer_.async_wait([self = shared_from_this(), request = std::move(request),
                         decision = std::move(decision)](error_code wait_ec) mutable {
        if (wait_ec || self->state_.stopping) return self->close_now();
        self->serve(std::move(request), decision);
      });
      return;
    }
    serve(std::move(request), decision);
  }

  void serve(MockRequest request, const FaultDecision& decision) {
    const auto& req = parser_->get();
    MockLogEntry entry = request_entry(request.method, request.target, 0);
    entry.fault = decision.applied;
    entry.request_bytes = request.body.size();
    std::optional<FaultRule> drip;
    MockResponse out;
    try {
      if (decision.action && decision.action->kind == FaultKind::reset) {
        entry.note = "connection reset (injected)";
        finish_entry(entry);
        return reset_now();
      }
      if (decision.action && decision.action->kind == FaultKind::stall) {
        entry.note = "stalled, no answer (injected)";
        finish_entry(entry);
        timer_.expires_after(decision.action->stall);
        timer_.async_wait([self = shared_from_this()](error_code) { self->close_now(); });
        return;
      }
      if (decision.action && decision.action->kind != FaultKind::slow_drip) {
        out = state_.service.fault_response(request, *decision.action);
      } else {
        out = state_.service.handle(std::move(request));
        if (decision.action) drip = decision.action;
      }
    } catch (const std::exception& e) {
      out = MockResponse{500, "text/plain; charset=UTF-8", {}, std::string("internal error: ") + e.what() + "\n", {}};
    }
    const bool keep_alive = req.keep_alive() && !state_.stopping && speaks_the_interface(out);
    entry.status = out.status;
    if (out.outcome.error) entry.error_code = std::string(onshi::ons::to_code(*out.outcome.error));
    entry.user_certificate_serial = out.outcome.user_certificate_serial;
    entry.patient_id = out.outcome.patient_id;
    entry.refusal = out.outcome.refusal;
    entry.consents = out.outcome.consents;
    if (out.outcome.validity) entry.qualification_validity = std::string(onshi::ons::to_code(*out.outcome.validity));
    respond(std::move(out), keep_alive, req.version(), std::move(entry), drip);
  }

  // A request that does not speak the interface (its syntax, path, method or media type)
  // ends its connection after the answer, as nginx does after a 400. A client sending them in
  // a loop then pays a handshake for each, on the handshake workers (worker_pool.hpp), instead
  // of sharing the request workers with the terminals. A refusal (401, 403) or a value the
  // interface checks (an insurer number) keeps the connection: a real terminal meets those.
  static bool speaks_the_interface(const MockResponse& out) {
    if (out.status == 404 || out.status == 405 || out.status == 415) return false;
    return !(out.status == 400 && out.outcome.error == onshi::ons::ProfileError::malformed_request);
  }

  void finish_entry(MockLogEntry& entry) {
    entry.duration = micros_since(started_);
    state_.log(entry);
  }

  // RST instead of FIN: SO_LINGER with a zero timeout, then close.
  void reset_now() {
    error_code ignored;
    auto& socket = beast::get_lowest_layer(stream_).socket();
    socket.set_option(net::socket_base::linger(true, 0), ignored);
    socket.close(ignored);
  }

  // Answers a request that could not be read (413, 400) and closes the connection. After a
  // 413 the client may still be sending its body: that is read and dropped first (drain()),
  // or the close would be an RST that destroys the answer before the client reads it.
  void refuse(unsigned status, std::string text) {
    drain_before_close_ = status == 413;
    std::string method = "-";
    std::string target = "-";
    if (parser_ && parser_->is_header_done()) {
      method = std::string(parser_->get().method_string());
      target = std::string(parser_->get().target());
    }
    ++state_.requests;
    MockResponse out{status, "text/plain; charset=UTF-8", {}, text + "\n", {}};
    MockLogEntry entry = request_entry(method, target, status);
    entry.note = text;
    respond(std::move(out), false, 11, std::move(entry));
  }

  void respond(MockResponse out, bool keep_alive, unsigned version, MockLogEntry entry,
               const std::optional<FaultRule>& drip = std::nullopt) {
    if (out.status != 200) ++state_.refused;
    detail::write_response(wire_, out.status, version, keep_alive, "onshi-ons-mock", out.content_type, out.headers,
                           out.body);
    keep_alive_ = keep_alive;
    entry.response_bytes = out.body.size();
    finish_entry(entry);
    if (drip) return start_drip(*drip);
    beast::get_lowest_layer(stream_).expires_after(state_.options.read_timeout);
    net::async_write(stream_, net::buffer(wire_), beast::bind_front_handler(&ConnectionSession::on_write, shared_from_this()));
  }

  // The whole response, `chunk_bytes` at a time with `interval` between writes.
  void start_drip(const FaultRule& rule) {
    drip_offset_ = 0;
    drip_chunk_ = rule.chunk_bytes;
    drip_interval_ = rule.interval;
    drip_next();
  }

  void drip_next() {
    if (drip_offset_ >= wire_.size()) return on_write({}, wire_.size());
    const std::size_t n = std::min(drip_chunk_, wire_.size() - drip_offset_);
    beast::get_lowest_layer(stream_).expires_after(state_.options.read_timeout);
    net::async_write(stream_, net::buffer(wire_.data() + drip_offset_, n),
                     [self = shared_from_this(), n](error_code ec, std::size_t) {
                       if (ec) return self->undelivered(ec);
                       self->drip_offset_ += n;
                       self->timer_.expires_after(self->drip_interval_);
                       self->timer_.async_wait([self](error_code wait_ec) {
                         if (wait_ec) return self->close_now();
                         self->drip_next();
                       });
                     });
  }

  void on_write(error_code ec, std::size_t) {
    if (ec) return undelivered(ec);
    ++served_;
    if (wire_.capacity() > 64 * 1024) wire_ = std::string();  // after a large answer (bulk)
    if (drain_before_close_) return start_drain();
    if (!keep_alive_) return shutdown();
    read();
  }

  // The peer went (reset, broken pipe) or stalled before taking the answer: the request's
  // entry is in the journal already; this says the answer did not arrive, then closes.
  void undelivered(error_code ec) {
    if (!state_.stopping) log_note("answer not delivered: " + ec.message());
    close_now();
  }

  // One deadline for the whole drain: a client dripping its body cannot hold the connection.
  void start_drain() {
    drain_buffer_.resize(16 * 1024);
    beast::get_lowest_layer(stream_).expires_after(kDrainTimeout);
    drain();
  }

  void drain() {
    stream_.async_read_some(net::buffer(drain_buffer_), [self = shared_from_this()](error_code ec, std::size_t n) {
      self->drained_ += n;
      if (ec || self->drained_ > kDrainLimit) return self->close_now();
      self->drain();
    });
  }

  void shutdown() {
    beast::get_lowest_layer(stream_).expires_after(kShutdownTimeout);
    stream_.async_shutdown(beast::bind_front_handler(&ConnectionSession::on_shutdown, shared_from_this()));
  }

  void on_shutdown(error_code) { close_now(); }

  void close_now() {
    error_code ignored;
    beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(stream_).close();
  }

  MockLogEntry request_entry(std::string method, std::string target, unsigned status) const {
    describe_verified_client();
    MockLogEntry entry;
    entry.remote = remote_;
    entry.tls_version = tls_.version;
    entry.client_signature = tls_.peer_signature;
    entry.facility_code = facility_;
    entry.method = std::move(method);
    entry.target = std::move(target);
    entry.status = status;
    entry.received_at = received_at_;
    entry.handshake_duration = handshake_duration_;
    entry.client_subject = client_subject_;
    entry.client_serial = client_serial_;
    entry.client_fingerprint = client_fingerprint_;
    return entry;
  }

  void log_note(std::string note) const {
    MockLogEntry entry = request_entry("-", "-", 0);
    entry.kind = MockLogEntry::Kind::request;
    entry.note = std::move(note);
    state_.log(entry);
  }

  MockServerState& state_;
  WorkerPool& workers_;
  std::atomic<int>* worker_load_ = nullptr;  // the request worker's, once the session is there
  std::mutex executor_mutex_;                // the executor changes once; close() reads it from stop()
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string wire_;  // the response being written (response_wire.hpp); its buffer is reused
  bool keep_alive_ = false;
  bool drain_before_close_ = false;  // refuse(413): read the rest of the body before closing
  std::string drain_buffer_;
  std::size_t drained_ = 0;
  std::string remote_;
  mutable bool described_ = false;  // describe_verified_client()
  mutable std::string facility_;
  tls::TlsSessionInfo tls_;
  std::uint64_t served_ = 0;
  SteadyClock::time_point started_ = SteadyClock::now();
  WallTime received_at_ = wall_now();
  SteadyClock::time_point handshake_started_ = SteadyClock::now();
  std::chrono::microseconds handshake_duration_{0};
  mutable std::string client_subject_;
  mutable std::string client_serial_;
  mutable std::string client_fingerprint_;
  int injected_alert_ = 0;
  net::steady_timer timer_{stream_.get_executor()};
  std::size_t drip_offset_ = 0;
  std::size_t drip_chunk_ = 16;
  std::chrono::milliseconds drip_interval_{100};
};

void start_connection_session(tcp::socket socket, MockServerState& state, WorkerPool& workers, SSL_CTX* tls_context) {
  std::make_shared<ConnectionSession>(std::move(socket), state, workers, tls_context)->start();
}

void close_connection_session(const std::shared_ptr<ConnectionSession>& session) { ConnectionSession::close(session); }

}  // namespace onshi::mocks::ons::detail
