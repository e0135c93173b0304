#include "onshi/mocks/ons/request_log.hpp"

#include <ostream>

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
  std::string out = e.kind == MockLogEntry::Kind::request ? "request" : "handshake-failed";
  field(out, "remote", e.remote);
  field(out, "tls", e.tls_version);
  field(out, "client_sig", e.client_signature);
  field(out, "facility", e.facility_code);
  if (e.kind == MockLogEntry::Kind::request) {
    out += ' ' + e.method + ' ' + e.target + ' ' + std::to_string(e.status);
  }
  field(out, "error", e.error_code);
  field(out, "user_cert", e.user_certificate_serial);
  field(out, "patient", e.patient_id);
  field(out, "validity", e.qualification_validity);
  field(out, "refusal", e.refusal);
  field(out, "fault", e.fault);
  field(out, "client_serial", e.client_serial);
  if (e.kind == MockLogEntry::Kind::request) out += " us=" + std::to_string(e.duration.count());
  if (!e.note.empty()) out += " note=\"" + e.note + "\"";
  return out;
}

void StreamLogSink::write(const MockLogEntry& entry) {
  const std::string line = format_log_line(entry) + '\n';
  const std::lock_guard lock(mutex_);
  out_ << line << std::flush;
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
