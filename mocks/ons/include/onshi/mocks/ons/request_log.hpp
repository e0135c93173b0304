#pragma once
// One line per request (and per refused handshake) from the mock ONS, to a sink the
// embedding code chooses. Entries hold certificate serials and synthetic patient ids, never
// PINs or My Numbers (the mock never receives either).
#include <chrono>
#include <condition_variable>
#include <iosfwd>
#include <mutex>
#include <thread>
#include <cstdint>
#include <string>
#include <vector>

#include "onshi/core/clock.hpp"

namespace onshi::mocks::ons {

struct MockLogEntry {
  enum class Kind { request, handshake_failure };
  Kind kind = Kind::request;
  std::string remote;            // "127.0.0.1:50312"
  std::string tls_version;       // "TLSv1.3"
  std::string client_signature;  // the terminal's CertificateVerify scheme, e.g. "rsa_pkcs1_sha256"
  std::string facility_code;     // serialNumber of the terminal certificate
  std::string method;
  std::string target;
  unsigned status = 0;
  std::string error_code;               // profile ErrorCode of a refused inquiry ("HIL0403")
  std::string user_certificate_serial;  // the card's user-authentication certificate
  std::string patient_id;
  std::string qualification_validity;  // code, when a result was produced
  std::chrono::microseconds duration{0};
  std::string note;  // e.g. the TLS failure reason

  // Journal fields (onshi/mocks/ons/journal.hpp).
  std::uint64_t sequence = 0;     // 1, 2, ... in the order entries were journaled
  WallTime received_at{};         // request header read, or handshake failed
  std::chrono::microseconds handshake_duration{0};  // of this connection's TLS handshake
  std::string client_subject;     // terminal certificate, RFC 2253
  std::string client_serial;      // upper-case hex
  std::string client_fingerprint; // SHA-256, "AB:CD:..."
  // Who-may-ask refusal (access_refusal.hpp): "no_certificate", "untrusted_issuer", "expired",
  // "not_yet_valid", "revoked", "no_client_auth", "tls_version", "facility_mismatch", ...
  std::string refusal;
  // Consent decisions, "<item>=<decision>": "PharmacistsInfo=consented",
  // "DiagnosisInfo=declined", "SpecificHealthCheckupsInfo=not_asked".
  std::vector<std::string> consents;
  std::string fault;  // faults applied to this exchange, e.g. "latency:ipsec,throttle"
  std::size_t request_bytes = 0;
  std::size_t response_bytes = 0;
};

std::string format_log_line(const MockLogEntry& entry);

class RequestLogSink {
 public:
  virtual ~RequestLogSink() = default;
  // Called from server threads concurrently.
  virtual void write(const MockLogEntry& entry) = 0;
};

// Writes format_log_line() + '\n' to a stream, whole lines in order. Server threads only
// append to a buffer; a writer thread hands it to the stream at most every `interval`
// (sooner once 64 KB are waiting), so a request costs no write or flush system call.
// flush() and the destructor write out everything logged so far.
class StreamLogSink final : public RequestLogSink {
 public:
  explicit StreamLogSink(std::ostream& out, std::chrono::milliseconds interval = std::chrono::milliseconds(50));
  ~StreamLogSink() override;
  StreamLogSink(const StreamLogSink&) = delete;
  StreamLogSink& operator=(const StreamLogSink&) = delete;
  void write(const MockLogEntry& entry) override;
  void flush();

 private:
  void run();
  void write_out(std::string& lines);

  std::ostream& out_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;              // guards pending_ and stop_
  std::mutex out_mutex_;          // one writer of out_ at a time, in order
  std::condition_variable wake_;
  std::string pending_;
  bool stop_ = false;
  std::thread writer_;
};

// Keeps entries for tests to inspect.
class MemoryLogSink final : public RequestLogSink {
 public:
  void write(const MockLogEntry& entry) override;
  std::vector<MockLogEntry> entries() const;

 private:
  mutable std::mutex mutex_;
  std::vector<MockLogEntry> entries_;
};

}  // namespace onshi::mocks::ons
