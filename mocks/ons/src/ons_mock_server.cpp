#include "onshi/mocks/ons/ons_mock_server.hpp"

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

// -Wnull-dereference fires inside Asio's scheduler after inlining; it is not our code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#pragma GCC diagnostic pop
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>


#include "onshi/core/error.hpp"
#include "onshi/mocks/ons/access_refusal.hpp"
#include "onshi/mocks/ons/admin_api.hpp"
#include "onshi/ons/codes.hpp"
#include "onshi/tls/session_info.hpp"
#include "onshi/tls/tls_context.hpp"
#include "response_wire.hpp"
#include "tls_socket_stream.hpp"

namespace onshi::mocks::ons {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using Stream = detail::TlsSocketStream;
using boost::system::error_code;
using SteadyClock = std::chrono::steady_clock;

constexpr std::size_t kHeaderLimit = 16 * 1024;
constexpr std::chrono::milliseconds kShutdownTimeout{2000};

class Session;

// Where a connection's injected TLS alert (fault_plan.hpp tls_alert) waits for the
// ClientHello callback, which fails the handshake with it.
int alert_ex_index() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

int fail_handshake_on_injected_alert(SSL* ssl, int* alert, void*) {
  const auto* injected = static_cast<const int*>(SSL_get_ex_data(ssl, alert_ex_index()));
  if (injected != nullptr && *injected > 0) {
    *alert = *injected;
    return SSL_CLIENT_HELLO_ERROR;
  }
  return SSL_CLIENT_HELLO_SUCCESS;
}

WallTime wall_now() { return std::chrono::system_clock::now(); }

template <class Since>
std::chrono::microseconds micros_since(Since start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - start);
}

// What every connection needs; outlives the io_context (see Impl member order).
struct Shared {
  explicit Shared(OnsMockOptions o)
      : options(std::move(o)),
        service(options.service),
        journal(options.journal_capacity, options.log),
        faults(options.faults) {
    // One SSL_CTX per worker thread: OpenSSL 3 guards a context's certificate store with a
    // lock every handshake takes, and two threads sharing one bounce it between the cores.
    // They share the session-ticket keys, so a ticket issued on one worker resumes on any.
    unsigned char ticket_keys[80];
    for (unsigned i = 0; i < std::max(1u, options.threads); ++i) {
      tls_contexts.push_back(tls::make_server_tls_context(options.tls));
      SSL_CTX* ctx = tls_contexts.back().native_handle();
      SSL_CTX_set_client_hello_cb(ctx, fail_handshake_on_injected_alert, nullptr);
      const bool shared_keys = i == 0 ? SSL_CTX_get_tlsext_ticket_keys(ctx, ticket_keys, sizeof ticket_keys) == 1
                                      : SSL_CTX_set_tlsext_ticket_keys(ctx, ticket_keys, sizeof ticket_keys) == 1;
      if (!shared_keys) throw Error(ErrorCode::tls, "cannot share session-ticket keys between workers", "mock ONS");
    }
    OPENSSL_cleanse(ticket_keys, sizeof ticket_keys);
  }

  SSL_CTX* tls_context_for(std::size_t worker) { return tls_contexts.at(worker).native_handle(); }

  void log(MockLogEntry& entry) { journal.record(entry); }

  void enlist(const std::shared_ptr<Session>& session);
  void forget(const Session* session) {
    const std::lock_guard lock(sessions_mutex);
    sessions.erase(session);
    if (sessions.empty()) sessions_cv.notify_all();
  }

  OnsMockOptions options;
  OnsMockService service;
  std::vector<tls::TlsContext> tls_contexts;  // one per worker, same configuration
  Journal journal;
  FaultInjector faults;
  std::atomic<std::uint64_t> connections{0};
  std::atomic<std::uint64_t> handshakes{0};
  std::atomic<std::uint64_t> handshake_failures{0};
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> refused{0};
  std::atomic<bool> stopping{false};
  std::mutex sessions_mutex;
  std::condition_variable sessions_cv;
  std::unordered_map<const Session*, std::weak_ptr<Session>> sessions;
};

// One TLS connection: handshake, then HTTP/1.1 requests until either side closes.
class Session : public std::enable_shared_from_this<Session> {
 public:
  // `worker_load` counts the live sessions of the worker the socket belongs to.
  Session(tcp::socket socket, Shared& shared, std::atomic<int>& worker_load, SSL_CTX* tls_context)
      : shared_(shared), worker_load_(worker_load), stream_(std::move(socket), tls_context) {
    ++worker_load_;
    error_code ec;
    const tcp::endpoint peer = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
    if (!ec) remote_ = peer.address().to_string() + ":" + std::to_string(peer.port());
  }
  ~Session() {
    --worker_load_;
    shared_.forget(this);
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start() {
    shared_.enlist(shared_from_this());
    stream_.set_owner(weak_from_this());
    if (!stream_.ok()) return net::post(stream_.get_executor(), [self = shared_from_this()] { self->close_now(); });
    net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::handshake, shared_from_this()));
  }

  // From stop(): cancel whatever is pending; the handlers then end the session.
  static void close(const std::shared_ptr<Session>& self) {
    net::post(self->stream_.get_executor(), [self] {
      self->timer_.cancel();
      beast::get_lowest_layer(self->stream_).close();
    });
  }

 private:
  void handshake() {
    if (const auto alert = shared_.faults.on_connection()) {
      injected_alert_ = *alert;
      SSL_set_ex_data(stream_.native_handle(), alert_ex_index(), &injected_alert_);
    }
    handshake_started_ = SteadyClock::now();
    beast::get_lowest_layer(stream_).expires_after(shared_.options.handshake_timeout);
    stream_.async_handshake(beast::bind_front_handler(&Session::on_handshake, shared_from_this()));
  }

  void on_handshake(error_code ec) {
    if (ec) {
      if (shared_.stopping) return;  // cancelled by stop(), not refused
      ++shared_.handshake_failures;
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
      shared_.log(entry);
      return;  // the socket closes with the session
    }
    ++shared_.handshakes;
    handshake_duration_ = micros_since(handshake_started_);
    tls_ = tls::session_info(stream_.native_handle());
    read();
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
    if (shared_.stopping) return shutdown();
    parser_.emplace();
    parser_->body_limit(shared_.options.max_body_bytes);
    parser_->header_limit(kHeaderLimit);
    // The first request must come promptly; later ones may follow an idle keep-alive gap.
    beast::get_lowest_layer(stream_).expires_after(served_ == 0 ? shared_.options.read_timeout
                                                                : shared_.options.idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    started_ = SteadyClock::now();
    received_at_ = wall_now();
    beast::get_lowest_layer(stream_).expires_after(shared_.options.read_timeout);
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read_error(error_code ec) {
    if (ec == http::error::end_of_stream) return shutdown();
    if (ec == http::error::body_limit) {
      return refuse(413, "request body exceeds " + std::to_string(shared_.options.max_body_bytes) + " bytes");
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
    ++shared_.requests;
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

    FaultDecision decision = shared_.faults.on_request(request.target);
    if (decision.delay.count() > 0) {
      timer_.expires_after(decision.delay);
      timer_.async_wait([self = shared_from_this(), request = std::move(request),
                         decision = std::move(decision)](error_code wait_ec) mutable {
        if (wait_ec || self->shared_.stopping) return self->close_now();
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
        out = shared_.service.fault_response(request, *decision.action);
      } else {
        out = shared_.service.handle(std::move(request));
        if (decision.action) drip = decision.action;
      }
    } catch (const std::exception& e) {
      out = MockResponse{500, "text/plain; charset=UTF-8", {}, std::string("internal error: ") + e.what() + "\n", {}};
    }
    const bool keep_alive = req.keep_alive() && !shared_.stopping;
    entry.status = out.status;
    if (out.outcome.error) entry.error_code = std::string(onshi::ons::to_code(*out.outcome.error));
    entry.user_certificate_serial = out.outcome.user_certificate_serial;
    entry.patient_id = out.outcome.patient_id;
    entry.refusal = out.outcome.refusal;
    entry.consents = out.outcome.consents;
    if (out.outcome.validity) entry.qualification_validity = std::string(onshi::ons::to_code(*out.outcome.validity));
    respond(std::move(out), keep_alive, req.version(), std::move(entry), drip);
  }

  void finish_entry(MockLogEntry& entry) {
    entry.duration = micros_since(started_);
    shared_.log(entry);
  }

  // RST instead of FIN: SO_LINGER with a zero timeout, then close.
  void reset_now() {
    error_code ignored;
    auto& socket = beast::get_lowest_layer(stream_).socket();
    socket.set_option(net::socket_base::linger(true, 0), ignored);
    socket.close(ignored);
  }

  // Answers a request that could not be read (413, 400) and closes the connection.
  void refuse(unsigned status, std::string text) {
    std::string method = "-";
    std::string target = "-";
    if (parser_ && parser_->is_header_done()) {
      method = std::string(parser_->get().method_string());
      target = std::string(parser_->get().target());
    }
    ++shared_.requests;
    MockResponse out{status, "text/plain; charset=UTF-8", {}, text + "\n", {}};
    MockLogEntry entry = request_entry(method, target, status);
    entry.note = text;
    respond(std::move(out), false, 11, std::move(entry));
  }

  void respond(MockResponse out, bool keep_alive, unsigned version, MockLogEntry entry,
               const std::optional<FaultRule>& drip = std::nullopt) {
    if (out.status != 200) ++shared_.refused;
    detail::write_response(wire_, out.status, version, keep_alive, "onshi-ons-mock", out.content_type, out.headers,
                           out.body);
    keep_alive_ = keep_alive;
    entry.response_bytes = out.body.size();
    finish_entry(entry);
    if (drip) return start_drip(*drip);
    beast::get_lowest_layer(stream_).expires_after(shared_.options.read_timeout);
    net::async_write(stream_, net::buffer(wire_), beast::bind_front_handler(&Session::on_write, shared_from_this()));
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
    beast::get_lowest_layer(stream_).expires_after(shared_.options.read_timeout);
    net::async_write(stream_, net::buffer(wire_.data() + drip_offset_, n),
                     [self = shared_from_this(), n](error_code ec, std::size_t) {
                       if (ec) return self->close_now();
                       self->drip_offset_ += n;
                       self->timer_.expires_after(self->drip_interval_);
                       self->timer_.async_wait([self](error_code wait_ec) {
                         if (wait_ec) return self->close_now();
                         self->drip_next();
                       });
                     });
  }

  void on_write(error_code ec, std::size_t) {
    if (ec) return close_now();
    ++served_;
    if (wire_.capacity() > 64 * 1024) wire_ = std::string();  // after a large answer (bulk)
    if (!keep_alive_) return shutdown();
    read();
  }

  void shutdown() {
    beast::get_lowest_layer(stream_).expires_after(kShutdownTimeout);
    stream_.async_shutdown(beast::bind_front_handler(&Session::on_shutdown, shared_from_this()));
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
    shared_.log(entry);
  }

  Shared& shared_;
  std::atomic<int>& worker_load_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string wire_;  // the response being written (response_wire.hpp); its buffer is reused
  bool keep_alive_ = false;
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

// One plain-HTTP connection to the admin API (loopback only); keep-alive, bounded reads.
// A request over the bounds gets its status (414, 431, 413) or 400, then the connection
// closes: answered, never just dropped.
class AdminSession : public std::enable_shared_from_this<AdminSession> {
 public:
  AdminSession(tcp::socket socket, Shared& shared, std::function<OnsMockStats()> stats)
      : shared_(shared), stats_(std::move(stats)), stream_(std::move(socket)) {}

  void start() { read(); }

 private:
  static constexpr std::size_t kHeaderLimit = 16 * 1024;
  static constexpr std::size_t kBodyLimit = std::size_t{1} << 20;
  // After a refusal, what the peer still sends is read and dropped (so the close is a FIN
  // the peer can read the answer before, not an RST), up to this much.
  static constexpr std::size_t kDrainLimit = std::size_t{8} << 20;

  void read() {
    if (shared_.stopping) return;
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
      reply = handle_admin(std::string(req.method_string()), std::string(req.target()), req.body(), shared_.faults,
                           shared_.journal, stats_());
    } catch (const std::exception& e) {
      // A bug must cost one answer, not the process (an exception here would end io.run()).
      reply = admin_error_reply(500, std::string("internal error: ") + e.what());
    }
    send(reply, req.version(), req.keep_alive() && !shared_.stopping);
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

  Shared& shared_;
  std::function<OnsMockStats()> stats_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> response_;
  std::string drain_buffer_;
  std::size_t drained_ = 0;
};

void Shared::enlist(const std::shared_ptr<Session>& session) {
  const std::lock_guard lock(sessions_mutex);
  sessions.emplace(session.get(), session);
}

}  // namespace

struct OnsMockServer::Impl {
  explicit Impl(OnsMockOptions options)
      : threads_wanted(std::max(1u, options.threads)),
        shared(std::make_unique<Shared>(std::move(options))),
        load(make_loads(threads_wanted)),
        workers(make_workers(threads_wanted)) {}

  // One io_context per thread, like nginx's worker processes: a connection lives on one
  // worker from accept to close, so its handlers need no strand and no thread hands work to
  // another (with a shared io_context every completion could wake the other thread).
  static std::vector<std::unique_ptr<net::io_context>> make_workers(unsigned n) {
    std::vector<std::unique_ptr<net::io_context>> out;
    for (unsigned i = 0; i < n; ++i) out.push_back(std::make_unique<net::io_context>(1));
    return out;
  }

  // The next connection goes to the worker with the fewest live sessions (round robin on a
  // tie): long keep-alive connections spread evenly, and a burst of handshakes does not
  // queue behind one worker's RSA signatures while the other waits.
  std::size_t least_loaded_worker() {
    std::size_t best = next_worker_index++ % workers.size();
    for (std::size_t i = 0; i < workers.size(); ++i) {
      if (load[i]->load() < load[best]->load()) best = i;
    }
    return best;
  }

  static std::vector<std::unique_ptr<std::atomic<int>>> make_loads(unsigned n) {
    std::vector<std::unique_ptr<std::atomic<int>>> out;
    for (unsigned i = 0; i < n; ++i) out.push_back(std::make_unique<std::atomic<int>>(0));
    return out;
  }

  void start() {
    if (started) throw Error(ErrorCode::state, "already started", "mock ONS");
    const OnsMockOptions& o = shared->options;
    error_code ec;
    const net::ip::address address = net::ip::make_address(o.bind_address, ec);
    if (ec) throw Error(ErrorCode::invalid_argument, "bad bind address: " + ec.message(), o.bind_address);
    const tcp::endpoint endpoint(address, o.port);
    const std::string where = o.bind_address + ":" + std::to_string(o.port);
    if (acceptor.open(endpoint.protocol(), ec); ec) throw Error(ErrorCode::io, "socket: " + ec.message(), where);
    if (acceptor.set_option(net::socket_base::reuse_address(true), ec); ec) {
      throw Error(ErrorCode::io, "SO_REUSEADDR: " + ec.message(), where);
    }
    if (acceptor.bind(endpoint, ec); ec) throw Error(ErrorCode::io, "cannot bind: " + ec.message(), where);
    if (acceptor.listen(net::socket_base::max_listen_connections, ec); ec) {
      throw Error(ErrorCode::io, "cannot listen: " + ec.message(), where);
    }
    port = acceptor.local_endpoint().port();
    if (o.admin_port >= 0) open_admin(static_cast<std::uint16_t>(o.admin_port));
    started = true;
    accept();
    if (admin_acceptor.is_open()) accept_admin();
    for (auto& w : workers) {
      work_guards.push_back(net::make_work_guard(*w));
      threads.emplace_back([&io = *w] { io.run(); });
    }
  }

  void accept() {
    const std::size_t worker = least_loaded_worker();
    acceptor.async_accept(*workers[worker], [this, worker](error_code ec, tcp::socket socket) {
      if (shared->stopping || !acceptor.is_open()) return;
      if (ec) {
        // EMFILE and friends: back off briefly instead of spinning.
        auto timer = std::make_shared<net::steady_timer>(acceptor.get_executor(), std::chrono::milliseconds(50));
        timer->async_wait([this, timer](error_code) {
          if (!shared->stopping) accept();
        });
        return;
      }
      ++shared->connections;
      error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      std::make_shared<Session>(std::move(socket), *shared, *load[worker], shared->tls_context_for(worker))->start();
      accept();
    });
  }

  // The admin API listens on 127.0.0.1 whatever the ONS bind address: it can change faults.
  void open_admin(std::uint16_t wanted) {
    const tcp::endpoint endpoint(net::ip::address_v4::loopback(), wanted);
    const std::string where = "admin 127.0.0.1:" + std::to_string(wanted);
    error_code ec;
    if (admin_acceptor.open(endpoint.protocol(), ec); ec) throw Error(ErrorCode::io, "socket: " + ec.message(), where);
    admin_acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (admin_acceptor.bind(endpoint, ec); ec) throw Error(ErrorCode::io, "cannot bind: " + ec.message(), where);
    if (admin_acceptor.listen(16, ec); ec) throw Error(ErrorCode::io, "cannot listen: " + ec.message(), where);
    admin_port = admin_acceptor.local_endpoint().port();
  }

  void accept_admin() {
    admin_acceptor.async_accept(*workers.front(), [this](error_code ec, tcp::socket socket) {
      if (shared->stopping || !admin_acceptor.is_open()) return;
      if (!ec) {
        std::make_shared<AdminSession>(std::move(socket), *shared, [this] { return stats(); })->start();
      }
      accept_admin();
    });
  }

  OnsMockStats stats() const {
    Shared& s = *shared;
    std::uint64_t open = 0;
    {
      const std::lock_guard lock(s.sessions_mutex);
      open = s.sessions.size();
    }
    return {s.connections.load(), s.handshakes.load(), s.handshake_failures.load(), s.requests.load(),
            s.refused.load(), open};
  }

  void stop() {
    if (!started || stopped) return;
    stopped = true;
    shared->stopping = true;
    net::post(acceptor.get_executor(), [this] {
      error_code ignored;
      acceptor.close(ignored);
    });
    net::post(admin_acceptor.get_executor(), [this] {
      error_code ignored;
      admin_acceptor.close(ignored);
    });
    std::vector<std::shared_ptr<Session>> live;
    {
      const std::lock_guard lock(shared->sessions_mutex);
      for (auto& [key, weak] : shared->sessions) {
        if (auto s = weak.lock()) live.push_back(std::move(s));
      }
    }
    for (const auto& s : live) Session::close(s);
    live.clear();  // outside the lock: the last reference may run ~Session, which takes it
    {
      std::unique_lock lock(shared->sessions_mutex);
      shared->sessions_cv.wait_for(lock, std::chrono::seconds(3), [this] { return shared->sessions.empty(); });
    }
    work_guards.clear();
    for (auto& w : workers) w->stop();
    for (auto& t : threads) t.join();
    threads.clear();
  }

  unsigned threads_wanted;
  // Declared before the io_context: handlers still queued at destruction hold sessions
  // that refer to it.
  std::unique_ptr<Shared> shared;
  std::vector<std::unique_ptr<std::atomic<int>>> load;  // live sessions per worker; outlives them
  std::vector<std::unique_ptr<net::io_context>> workers;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> work_guards;
  std::size_t next_worker_index = 0;  // only the acceptor's handler (one at a time) uses it
  tcp::acceptor acceptor{*workers.front()};
  tcp::acceptor admin_acceptor{*workers.front()};
  std::vector<std::thread> threads;
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
  const std::string& host = impl_->shared->options.bind_address;
  const bool v6 = host.find(':') != std::string::npos;
  return "https://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(impl_->port);
}

OnsMockStats OnsMockServer::stats() const { return impl_->stats(); }
std::uint16_t OnsMockServer::admin_port() const { return impl_->admin_port; }
std::string OnsMockServer::admin_url() const {
  return impl_->admin_port == 0 ? std::string() : "http://127.0.0.1:" + std::to_string(impl_->admin_port);
}
const Journal& OnsMockServer::journal() const { return impl_->shared->journal; }
FaultInjector& OnsMockServer::faults() { return impl_->shared->faults; }

}  // namespace onshi::mocks::ons
