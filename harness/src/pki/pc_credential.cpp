#include "onshi/pki/pc_credential.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "onshi/core/atomic_file.hpp"
#include "onshi/core/error.hpp"
#include "onshi/pki/issue.hpp"

namespace onshi::pki {
namespace fs = std::filesystem;
namespace {

// flock(2) on DIR/.pcs.lock: two first runs at once must not write two different pairs.
class PcLock {
 public:
  explicit PcLock(const fs::path& file) : fd_(::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
    if (fd_ < 0) throw Error(ErrorCode::io, std::string("cannot open lock file: ") + std::strerror(errno), file.string());
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno != EINTR) {
        ::close(fd_);
        throw Error(ErrorCode::io, std::string("cannot lock: ") + std::strerror(errno), file.string());
      }
    }
  }
  ~PcLock() { ::close(fd_); }
  PcLock(const PcLock&) = delete;
  PcLock& operator=(const PcLock&) = delete;

 private:
  int fd_;
};

void require_pc_name(const std::string& pc) {
  const bool fits = !pc.empty() && pc.size() <= 32 && pc.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string::npos;
  if (!fits) throw Error(ErrorCode::invalid_argument, "a PC name is 1-32 of a-z, 0-9 and '-', not '" + pc + "'", "per-PC certificate");
}

}  // namespace

PcCredential ensure_pc_credential(const fs::path& pki_dir, const TestPki& pki, const std::string& facility_code,
                                  const std::string& pc) {
  require_pc_name(pc);
  const Credential& terminal = pki.terminal(facility_code);  // not_found names the facility
  PcCredential out;
  out.pc = pc;
  out.cert_file = pki_dir / "terminals" / facility_code / "pcs" / pc / "cert.pem";
  out.key_file = pki_dir / "terminals" / facility_code / "pcs" / pc / "key.pem";
  fs::create_directories(out.cert_file.parent_path());
  const PcLock lock(pki_dir / ".pcs.lock");
  if (fs::exists(out.cert_file)) {
    Credential existing{crypto::Certificate::load_pem_file(out.cert_file), crypto::PrivateKey::load_pem_file(out.key_file)};
    if (!existing.key_matches()) throw Error(ErrorCode::config, "the key is not this certificate's", out.key_file.string());
    if (existing.certificate.issued_by(pki.terminal_ca.certificate)) {
      out.credential = std::move(existing);
      return out;
    }
  }
  ClientCertificateOptions options;
  options.subject = {{"C", "JP"}, {"O", "onshi-hil test PKI"}, {"CN", "onshi-hil terminal " + facility_code + " pc " + pc}};
  options.not_before = terminal.certificate.not_before();
  options.not_after = terminal.certificate.not_after();  // lives as long as the facility's own
  out.credential = issue_client_certificate(pki.terminal_ca.certificate, pki.terminal_ca.key, facility_code, options);
  write_file_atomically(out.key_file, out.credential.key.to_pem(), 0600);
  // The certificate last: its presence says the pair is complete.
  write_file_atomically(out.cert_file, out.credential.certificate.to_pem());
  return out;
}

}  // namespace onshi::pki
