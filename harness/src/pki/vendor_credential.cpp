#include "onshi/pki/vendor_credential.hpp"

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

// flock(2) on DIR/.vendor.lock: two first runs at once must not write two different pairs.
class VendorLock {
 public:
  explicit VendorLock(const fs::path& file) : fd_(::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
    if (fd_ < 0) throw Error(ErrorCode::io, std::string("cannot open lock file: ") + std::strerror(errno), file.string());
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno != EINTR) {
        ::close(fd_);
        throw Error(ErrorCode::io, std::string("cannot lock: ") + std::strerror(errno), file.string());
      }
    }
  }
  ~VendorLock() { ::close(fd_); }
  VendorLock(const VendorLock&) = delete;
  VendorLock& operator=(const VendorLock&) = delete;

 private:
  int fd_;
};

Credential load_pair(const fs::path& cert, const fs::path& key) {
  Credential c{crypto::Certificate::load_pem_file(cert), crypto::PrivateKey::load_pem_file(key)};
  if (!c.key_matches()) throw Error(ErrorCode::config, "the key is not this certificate's", key.string());
  return c;
}

}  // namespace

VendorCredential ensure_vendor_credential(const fs::path& pki_dir, const Recipe& recipe) {
  fs::create_directories(pki_dir);
  VendorCredential out;
  out.ca_cert_file = pki_dir / "vendor-ca/cert.pem";
  out.signer_cert_file = pki_dir / "vendor/cert.pem";
  out.signer_key_file = pki_dir / "vendor/key.pem";
  const fs::path ca_key_file = pki_dir / "vendor-ca/key.pem";
  const VendorLock lock(pki_dir / ".vendor.lock");
  if (!fs::exists(out.signer_cert_file)) {
    const WallTime now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    const WallTime not_before = now - recipe.backdate_days * std::chrono::days{1};
    const WallTime ca_not_after = now + recipe.ca_validity_days * std::chrono::days{1};
    Credential ca = make_ca(recipe.vendor_ca, not_before, ca_not_after, recipe.key_bits);
    CertificateSpec spec;
    spec.subject = recipe.vendor;
    spec.profile = CertificateProfile::signing;
    spec.not_before = not_before;
    spec.not_after = std::min(ca_not_after, now + recipe.leaf_validity_days * std::chrono::days{1});
    Credential signer;
    signer.key = crypto::PrivateKey::generate_rsa(recipe.key_bits);
    signer.certificate = issue_certificate(spec, signer.key, &ca);
    fs::create_directories(out.ca_cert_file.parent_path());
    fs::create_directories(out.signer_cert_file.parent_path());
    ca.key.write_pem_file(ca_key_file);
    ca.certificate.write_pem_file(out.ca_cert_file);
    signer.key.write_pem_file(out.signer_key_file);
    // The signer's certificate last: its presence says the pair is complete.
    write_file_atomically(out.signer_cert_file, signer.certificate.to_pem());
  }
  out.ca = load_pair(out.ca_cert_file, ca_key_file);
  out.signer = load_pair(out.signer_cert_file, out.signer_key_file);
  if (!out.signer.certificate.issued_by(out.ca.certificate)) {
    throw Error(ErrorCode::config, "the vendor certificate is not issued by the vendor CA beside it",
                out.signer_cert_file.string());
  }
  return out;
}

VendorCredential ensure_vendor_credential(const fs::path& pki_dir) { return ensure_vendor_credential(pki_dir, load_recipe()); }

}  // namespace onshi::pki
