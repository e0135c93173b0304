#pragma once
// The mock ONS as an HTTPS server: TLS with a required, terminal-CA-verified client
// certificate, HTTP/1.1 keep-alive, bounded bodies and read timeouts. `threads` request
// workers and as many low-priority handshake workers, each an io_context on its own thread
// (docs/hardening.md "Floods"). Loopback by default; port 0 picks an ephemeral port.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "onshi/mocks/ons/fault_injector.hpp"
#include "onshi/mocks/ons/journal.hpp"
#include "onshi/mocks/ons/ons_mock_service.hpp"
#include "onshi/mocks/ons/request_log.hpp"
#include "onshi/tls/tls_options.hpp"

namespace onshi::mocks::ons {

struct OnsMockOptions {
  std::string bind_address = "127.0.0.1";
  std::uint16_t port = 0;
  unsigned threads = 2;  // request workers; as many handshake workers run beside them
  // The handshake workers' nice value (0..19). Higher keeps an inquiry from waiting behind a
  // handshake flood; lower keeps handshakes from starving when other programs keep the cores
  // busy (at 19 they get ~1.5 % of a core against each busy one, at 10 about 10 %).
  // docs/hardening.md "Floods" measures both.
  int handshake_nice = 10;
  tls::TlsServerOptions tls;  // ONS server cert/key/chain; client_ca_file = terminal CA
  OnsMockServiceConfig service;
  std::size_t max_body_bytes = std::size_t{1} << 20;  // larger requests get 413
  std::chrono::milliseconds handshake_timeout{10'000};
  std::chrono::milliseconds read_timeout{10'000};   // one whole request, header to last body byte
  std::chrono::milliseconds idle_timeout{30'000};   // between keep-alive requests
  std::shared_ptr<RequestLogSink> log;              // may be null; the journal forwards to it
  std::size_t journal_capacity = 100'000;           // entries kept in memory (oldest dropped)
  FaultPlan faults;                                 // installed at start; the admin API replaces it
  int admin_port = -1;                              // -1: no admin API; 0: ephemeral; always 127.0.0.1
};

// Options for a test-PKI directory (layout of onshi/pki/pki_paths.hpp: ons-server/,
// terminal-ca/, jpki-ca/, and manifest.json "patients" as the enrolments) and a population.
// Throws Error(config|not_found|malformed_input) naming the file.
OnsMockOptions mock_options_from_pki(const std::filesystem::path& pki_dir, population::Population population);

struct OnsMockStats {
  std::uint64_t connections = 0;
  std::uint64_t handshakes = 0;
  std::uint64_t handshake_failures = 0;
  std::uint64_t requests = 0;
  std::uint64_t refused_requests = 0;  // any status other than 200
  std::uint64_t open_connections = 0;  // at the time of the call
};

class OnsMockServer {
 public:
  // Builds the TLS context and checks the fixtures: throws Error(tls|not_found) for bad
  // certificate files, Error(config) for bad records or enrolments.
  explicit OnsMockServer(OnsMockOptions options);
  ~OnsMockServer();  // stops
  OnsMockServer(const OnsMockServer&) = delete;
  OnsMockServer& operator=(const OnsMockServer&) = delete;

  // Binds, listens and starts the threads; once only. Throws Error(io) if the address is
  // unusable, Error(invalid_argument) if it does not parse.
  void start();
  // Closes the listener and every connection, then joins the threads. Idempotent.
  void stop();

  std::uint16_t port() const;
  std::string url() const;  // "https://127.0.0.1:PORT"
  OnsMockStats stats() const;
  std::uint16_t admin_port() const;  // 0 when the admin API is off
  std::string admin_url() const;     // "http://127.0.0.1:PORT", "" when off

  const Journal& journal() const;
  FaultInjector& faults();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace onshi::mocks::ons
