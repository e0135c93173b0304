#include "onshi/mocks/ons/request_log.hpp"

#include <ostream>

#include "peer_text.hpp"

namespace onshi::mocks::ons {
namespace {
void field(std::string& out, const char* name, const std::string& value) {
  if (value.empty()) return;
  out += ' ';
  out += name;
  out += '=';
  out += value;
}
}  // namespace

std::string format_log_line(const MockLogEntry& e) {
  std::string out;
  out.reserve(256);
  out = e.kind == MockLogEntry::Kind::request ? "request" : "handshake-failed";
  field(out, "remote", e.remote);
  field(out, "tls", e.tls_version);
  field(out, "client_sig", e.client_signature);
  field(out, "facility", e.facility_code);
  if (e.kind == MockLogEntry::Kind::request) {
    // Method and target are the peer's bytes (peer_text.hpp): one line, whatever they hold.
    out += ' ';
    detail::append_printable(out, e.method);
    out += ' ';
    detail::append_printable(out, e.target);
    out += ' ';
    out += std::to_string(e.status);
  }
  field(out, "error", e.error_code);
  field(out, "user_cert", e.user_certificate_serial);
  field(out, "patient", e.patient_id);
  field(out, "validity", e.qualification_validity);
  field(out, "refusal", e.refusal);
  field(out, "fault", e.fault);
  field(out, "client_serial", e.client_serial);
  if (e.kind == MockLogEntry::Kind::request) out += " us=" + std::to_string(e.duration.count());
  if (!e.note.empty()) {
    out += " note=\"";
    detail::append_printable(out, e.note);
    out += '"';
  }
  return out;
}

namespace {
constexpr std::size_t kWakeWriterAt = 64 * 1024;
}  // namespace

StreamLogSink::StreamLogSink(std::ostream& out, std::chrono::milliseconds interval)
    : out_(out), interval_(interval), writer_([this] { run(); }) {}

StreamLogSink::~StreamLogSink() {
  {
    const std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  writer_.join();
  flush();
}

void StreamLogSink::write(const MockLogEntry& entry) {
  std::string line = format_log_line(entry);
  line += '\n';
  bool wake = false;
  {
    const std::lock_guard lock(mutex_);
    pending_ += line;
    wake = pending_.size() >= kWakeWriterAt;
  }
  if (wake) wake_.notify_one();
}

void StreamLogSink::flush() {
  std::string lines;
  const std::lock_guard out_lock(out_mutex_);
  {
    const std::lock_guard lock(mutex_);
    lines.swap(pending_);
  }
  write_out(lines);
}

void StreamLogSink::write_out(std::string& lines) {
  if (lines.empty()) return;
  out_.write(lines.data(), static_cast<std::streamsize>(lines.size()));
  out_.flush();
  lines.clear();
}

void StreamLogSink::run() {
  std::string lines;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, interval_, [this] { return stop_ || pending_.size() >= kWakeWriterAt; });
      if (stop_) return;
    }
    const std::lock_guard out_lock(out_mutex_);
    {
      const std::lock_guard lock(mutex_);
      lines.swap(pending_);
    }
    write_out(lines);
    if (lines.capacity() > 4 * kWakeWriterAt) lines.shrink_to_fit();  // after a burst
  }
}

void MemoryLogSink::write(const MockLogEntry& entry) {
  const std::lock_guard lock(mutex_);
  entries_.push_back(entry);
}

std::vector<MockLogEntry> MemoryLogSink::entries() const {
  const std::lock_guard lock(mutex_);
  return entries_;
}

}  // namespace onshi::mocks::ons
