// The terminal certificate (the site's [ons] client_cert, or the test PKI's certificate of
// the rig's facility): readable, inside its validity window, its key, its facility code, and
// its chain to the CA the ONS side trusts (docs/doctor.md, "Terminal certificate").
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>

#include <cmath>
#include <memory>

#include "examination.hpp"
#include "onshi/core/error.hpp"
#include "onshi/crypto/certificate.hpp"
#include "onshi/crypto/private_key.hpp"
#include "onshi/pki/credential.hpp"

namespace onshi::doctor::detail {
namespace {

// Where a new certificate comes from, said the way the install engineer will do it.
std::string renew_fix(const Examination& exam) {
  if (exam.remote_ons) {
    return "request a new terminal certificate from the 医療機関等向け総合ポータルサイト and set [ons] client_cert "
           "(and client_key) in " +
           exam.rig.file.string();
  }
  return "make a new test PKI with `onshi-hil pki --out " + exam.pki_dir.string() + " --force`";
}

struct TerminalFiles {
  std::filesystem::path cert;
  std::filesystem::path key;
};

std::optional<TerminalFiles> terminal_files(const Examination& exam) {
  if (!exam.client || exam.client->http.tls.cert_file.empty()) return std::nullopt;
  return TerminalFiles{exam.client->http.tls.cert_file, exam.client->http.tls.key_file};
}

// The leaf and any intermediates behind it in the same PEM file.
std::vector<crypto::Certificate> load_bundle(const std::filesystem::path& file) {
  auto bundle = crypto::Certificate::load_pem_bundle(file);
  if (bundle.empty()) throw Error(ErrorCode::malformed_input, "no certificate in the file", file.string());
  return bundle;
}

// X509_verify_cert against `anchor` alone, with `intermediates` untrusted. Time is left to
// the validity check, so an expired certificate is not reported twice.
std::string chain_error(const std::vector<crypto::Certificate>& bundle, const crypto::Certificate& anchor) {
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), X509_STORE_free);
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(), X509_STORE_CTX_free);
  // The stack only borrows the certificates (sk_X509_free, not sk_X509_pop_free).
  struct FreeStack {
    void operator()(STACK_OF(X509) * stack) const { sk_X509_free(stack); }
  };
  std::unique_ptr<STACK_OF(X509), FreeStack> untrusted(sk_X509_new_null());
  if (!store || !ctx || !untrusted) return "OpenSSL could not allocate a verification context";
  X509_STORE_add_cert(store.get(), anchor.get());
  for (std::size_t i = 1; i < bundle.size(); ++i) sk_X509_push(untrusted.get(), bundle[i].get());
  if (X509_STORE_CTX_init(ctx.get(), store.get(), bundle.front().get(), untrusted.get()) != 1) {
    return "OpenSSL could not start the verification: " + crypto::drain_openssl_errors();
  }
  X509_STORE_CTX_set_flags(ctx.get(), X509_V_FLAG_NO_CHECK_TIME);
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_CLIENT);
  if (X509_verify_cert(ctx.get()) == 1) return {};
  return X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
}

}  // namespace

void check_terminal_certificate(Examination& exam) {
  const auto files = terminal_files(exam);
  if (!files) return;  // ons.link failed and said why
  std::vector<crypto::Certificate> bundle;
  try {
    bundle = load_bundle(files->cert);
  } catch (const Error& e) {
    exam.failed("terminal_certificate.file", "the terminal certificate " + files->cert.string() + " cannot be read: " + e.message(),
                "point [ons] client_cert at the PEM file of the terminal certificate; " + renew_fix(exam));
    return;
  }
  const crypto::Certificate& leaf = bundle.front();
  const std::string name = "the terminal certificate " + files->cert.string() + " (serial " + leaf.serial_hex() + ")";

  // Validity window and days left.
  const auto left = std::chrono::duration<double>(leaf.not_after() - exam.now).count() / 86400.0;
  const double days = std::floor(left * 10.0) / 10.0;
  const auto days_left = run::Measurement::of(
      "days_to_expiry", days, "days",
      run::Limits{0.0, std::nullopt, static_cast<double>(exam.options.expiry_warning_days), std::nullopt});
  if (exam.now < leaf.not_before()) {
    exam.failed("terminal_certificate.validity",
                name + " is not valid yet: it becomes valid on " + format_day(leaf.not_before()) +
                    " (check this PC's clock, then the certificate)",
                "if this PC's clock is right, " + renew_fix(exam) + "; if it is wrong, set it right (NTP)", {days_left});
  } else if (exam.now > leaf.not_after()) {
    exam.failed("terminal_certificate.validity", name + " expired on " + format_day(leaf.not_after()),
                renew_fix(exam), {days_left});
  } else if (left < exam.options.expiry_warning_days) {
    exam.warning("terminal_certificate.validity",
                 name + " expires on " + format_day(leaf.not_after()) + ", in " + std::to_string(static_cast<int>(left)) +
                     " days",
                 "renew it before then: " + renew_fix(exam), {days_left});
  } else {
    exam.ok("terminal_certificate.validity",
            name + " is valid from " + format_day(leaf.not_before()) + " to " + format_day(leaf.not_after()),
            {days_left});
  }

  // The key is the certificate's.
  try {
    const pki::Credential credential{leaf, crypto::PrivateKey::load_pem_file(files->key)};
    if (credential.key_matches()) {
      exam.ok("terminal_certificate.key", "the key " + files->key.string() + " belongs to the terminal certificate");
    } else {
      exam.failed("terminal_certificate.key",
                  "the key " + files->key.string() + " is not the key of " + name,
                  "set [ons] client_key to the key the certificate was requested with (the pair from the same request)");
    }
  } catch (const Error& e) {
    exam.failed("terminal_certificate.key", "the key " + files->key.string() + " cannot be read: " + e.message(),
                "set [ons] client_key to the unencrypted PEM key of the terminal certificate");
  }

  // The facility code (subject serialNumber, 医療機関コード) is the rig's.
  const std::string code = leaf.subject_attribute("serialNumber");
  if (code == exam.rig.facility_code) {
    exam.ok("terminal_certificate.facility", "the terminal certificate is the facility " + code + "'s, as the rig says");
  } else {
    exam.failed("terminal_certificate.facility",
                "the terminal certificate is for facility " + (code.empty() ? std::string("(none: no serialNumber)") : code) +
                    ", but the rig's facility_code is " + exam.rig.facility_code,
                "use the terminal certificate issued to facility " + exam.rig.facility_code +
                    " (set [ons] client_cert), or correct facility_code in " + exam.rig.file.string());
  }
}

void check_terminal_certificate_chain(Examination& exam) {
  const auto files = terminal_files(exam);
  if (!files) return;
  std::vector<crypto::Certificate> bundle;
  try {
    bundle = load_bundle(files->cert);
  } catch (const Error&) {
    return;  // terminal_certificate.file said so
  }
  const crypto::Certificate& leaf = bundle.front();
  const std::string issuer = "'" + leaf.issuer() + "'";
  if (!exam.remote_ons) {
    // The embedded mock trusts the test PKI's terminal CA, and only it.
    const crypto::Certificate& ca = exam.pki->terminal_ca.certificate;
    const std::string error = chain_error(bundle, ca);
    if (error.empty()) {
      exam.ok("terminal_certificate.chain", "the terminal certificate chains to the test PKI's terminal CA (SHA-256 " +
                                                ca.sha256_fingerprint() + ")");
    } else {
      exam.failed("terminal_certificate.chain",
                  "the terminal certificate, issued by " + issuer + ", does not chain to the test PKI's terminal CA '" +
                      ca.subject() + "' (SHA-256 " + ca.sha256_fingerprint() + "): " + error,
                  renew_fix(exam));
    }
    return;
  }
  // A remote ONS says whom it trusts in its CertificateRequest, and then accepts or refuses.
  const auto& accepted = exam.probe.acceptable_client_cas;
  std::string list;
  for (const auto& dn : accepted) list += (list.empty() ? "'" : ", '") + dn + "'";
  const bool named = std::find(accepted.begin(), accepted.end(), leaf.issuer()) != accepted.end();
  if (!exam.probe.handshake) {
    exam.warning("terminal_certificate.chain",
                 "not checked: the TLS handshake with the ONS did not complete (see ons.tls_handshake)",
                 "fix the ONS endpoint first, then run the doctor again");
  } else if (!accepted.empty() && !named) {
    exam.failed("terminal_certificate.chain",
                "the terminal certificate is issued by " + issuer + ", which is not a CA the ONS accepts (" + list + ")" +
                    (exam.probe.refusal.empty() ? "" : "; the ONS refused it: " + exam.probe.refusal),
                "use a terminal certificate issued by the CA the ONS trusts: " + renew_fix(exam));
  } else if (!exam.probe.answered) {
    exam.failed("terminal_certificate.chain",
                "the ONS refused the terminal certificate (issued by " + issuer + ")" +
                    (exam.probe.refusal.empty() ? "" : ": " + exam.probe.refusal),
                renew_fix(exam));
  } else {
    exam.ok("terminal_certificate.chain",
            "the ONS accepts the terminal certificate, issued by " + issuer +
                (accepted.empty() ? std::string() : " (the ONS names " + list + ")"));
  }
}

}  // namespace onshi::doctor::detail
