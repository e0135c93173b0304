// The CRL named by `[pki] crl` (docs/doctor.md, "CRL"): parsed with OpenSSL (PEM or DER), its
// signature checked with the CA's key, its update times against this PC's clock, its entries
// against the terminal certificate's serial.
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cmath>
#include <ctime>
#include <fstream>
#include <memory>
#include <sstream>

#include "examination.hpp"
#include "onshi/core/error.hpp"
#include "onshi/doctor/crl_check.hpp"

namespace onshi::doctor {
namespace {

struct CrlFree {
  void operator()(X509_CRL* p) const { X509_CRL_free(p); }
};
using CrlPtr = std::unique_ptr<X509_CRL, CrlFree>;

std::optional<std::string> read_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// PEM when the text says so, DER otherwise; nullptr with OpenSSL's reason.
CrlPtr parse_crl(const std::string& bytes, std::string& reason) {
  CrlPtr crl;
  if (bytes.find("-----BEGIN X509 CRL-----") != std::string::npos) {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())), BIO_free);
    if (bio) crl.reset(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
  } else {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    crl.reset(d2i_X509_CRL(nullptr, &p, static_cast<long>(bytes.size())));
  }
  if (!crl) {
    reason = crypto::drain_openssl_errors();
    if (reason.empty()) reason = "no CRL in it";
  } else {
    crypto::drain_openssl_errors();
  }
  return crl;
}

std::string name_text(const X509_NAME* name) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253) < 0) return "?";
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::optional<WallTime> wall_time_of(const ASN1_TIME* t) {
  if (t == nullptr) return std::nullopt;
  std::tm tm{};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

// "2026-12-02 01:40 UTC": a CRL's times matter to the hour.
std::string when(WallTime t) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &utc);
  return text;
}

Finding finding(std::string check, Finding::Severity severity, std::string what, std::string fix = {},
                std::vector<run::Measurement> measurements = {}) {
  return Finding{std::move(check), severity, std::move(what), std::move(fix), std::move(measurements)};
}

}  // namespace

std::vector<Finding> examine_crl(const CrlCheckInput& input) {
  using Severity = Finding::Severity;
  std::vector<Finding> out;
  const std::string file = input.crl_file.string();
  const std::string where = input.rig_file.empty() ? std::string("the rig") : input.rig_file;
  const std::string fetch_fix = "download the current CRL from the CA that issued the terminal certificate and save it as " +
                                file + " (or point [pki] crl in " + where + " at it)";
  const auto bytes = read_bytes(input.crl_file);
  if (!bytes) {
    out.push_back(finding("crl.file", Severity::failed, "the CRL " + file + " named by [pki] crl cannot be read",
                          fetch_fix));
    return out;
  }
  std::string reason;
  const CrlPtr crl = parse_crl(*bytes, reason);
  if (!crl) {
    out.push_back(finding("crl.file", Severity::failed,
                          "the file " + file + " is not a CRL (neither PEM nor DER X.509 CRL): " + reason, fetch_fix));
    return out;
  }
  const std::string issuer_name = name_text(X509_CRL_get_issuer(crl.get()));
  const STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl.get());
  const int entries = revoked == nullptr ? 0 : sk_X509_REVOKED_num(revoked);
  out.push_back(finding("crl.file", Severity::ok,
                        "the CRL " + file + " of '" + issuer_name + "' parses; it lists " + std::to_string(entries) +
                            " revoked certificate" + (entries == 1 ? "" : "s"),
                        {}, {run::Measurement::of("crl_entries", static_cast<double>(entries))}));

  // Who signed it.
  if (!input.issuer) {
    out.push_back(finding("crl.signature", Severity::warning,
                          "not checked: the rig names no CA certificate to check the CRL's signature with",
                          "set [pki] crl_issuer in " + where + " to the CA certificate that issued the terminal certificate"));
  } else {
    const crypto::Certificate& ca = *input.issuer;
    const std::string ca_text = "'" + ca.subject() + "' (" + input.issuer_source + ", SHA-256 " + ca.sha256_fingerprint() + ")";
    EVP_PKEY* key = X509_get0_pubkey(ca.get());
    if (X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), X509_get_subject_name(ca.get())) != 0) {
      out.push_back(finding("crl.signature", Severity::failed,
                            "the CRL is issued by '" + issuer_name + "', not by the CA " + ca_text,
                            "use the CRL of the CA that issued the terminal certificate (" + fetch_fix + ")"));
    } else if (key == nullptr || X509_CRL_verify(crl.get(), key) != 1) {
      crypto::drain_openssl_errors();
      out.push_back(finding("crl.signature", Severity::failed,
                            "the CRL names the CA " + ca_text + " but its signature does not verify with that CA's key "
                            "(the file is damaged, or another CA of the same name signed it)",
                            fetch_fix));
    } else {
      out.push_back(finding("crl.signature", Severity::ok, "the CRL is signed by the CA " + ca_text));
    }
  }

  // Current: thisUpdate <= now < nextUpdate, and not about to lapse.
  const auto this_update = wall_time_of(X509_CRL_get0_lastUpdate(crl.get()));
  const auto next_update = wall_time_of(X509_CRL_get0_nextUpdate(crl.get()));
  const double warn_hours = static_cast<double>(input.warning_before.count());
  if (!this_update) {
    out.push_back(finding("crl.freshness", Severity::failed, "the CRL has no readable thisUpdate time", fetch_fix));
  } else if (*this_update > input.now) {
    out.push_back(finding("crl.freshness", Severity::failed,
                          "the CRL says it was issued on " + when(*this_update) + ", which is in the future by this PC's clock",
                          "check this PC's clock (NTP) first; if it is right, " + fetch_fix));
  } else if (!next_update) {
    out.push_back(finding("crl.freshness", Severity::warning,
                          "the CRL of " + when(*this_update) + " has no nextUpdate, so nobody can tell when it is stale",
                          "ask the CA for a CRL with a nextUpdate time; " + fetch_fix));
  } else {
    const double hours_left = std::floor(std::chrono::duration<double>(*next_update - input.now).count() / 360.0) / 10.0;
    const auto measurement = run::Measurement::of("crl_hours_to_next_update", hours_left, "hours",
                                                  run::Limits{0.0, std::nullopt, warn_hours, std::nullopt});
    const std::string window = "issued " + when(*this_update) + ", next update due " + when(*next_update);
    if (*next_update <= input.now) {
      out.push_back(finding("crl.freshness", Severity::failed,
                            "the CRL is out of date: " + window + " has passed, so revoked certificates may be missing from it",
                            fetch_fix + "; if the ONS side fetches it itself, check that it can reach the CA",
                            {measurement}));
    } else if (hours_left < warn_hours) {
      out.push_back(finding("crl.freshness", Severity::warning,
                            "the CRL goes out of date soon: " + window + " (in " +
                                std::to_string(static_cast<long>(hours_left)) + " hours)",
                            "fetch the CRL again after the CA publishes the next one, before " + when(*next_update),
                            {measurement}));
    } else {
      out.push_back(finding("crl.freshness", Severity::ok, "the CRL is current: " + window, {}, {measurement}));
    }
  }

  // The terminal certificate among the revoked.
  if (input.terminal) {
    const crypto::Certificate& terminal = *input.terminal;
    const std::string serial = terminal.serial_hex();
    if (X509_NAME_cmp(X509_CRL_get_issuer(crl.get()), X509_get_issuer_name(terminal.get())) != 0) {
      out.push_back(finding("crl.terminal_certificate", Severity::warning,
                            "not checked: the CRL is issued by '" + issuer_name + "', the terminal certificate (serial " +
                                serial + ") by '" + terminal.issuer() + "'",
                            "use the CRL of the CA that issued the terminal certificate (" + fetch_fix + ")"));
    } else {
      X509_REVOKED* entry = nullptr;
      // get0_by_serial takes a non-const serial: hand it its own copy.
      std::unique_ptr<ASN1_INTEGER, decltype(&ASN1_INTEGER_free)> copy(
          ASN1_INTEGER_dup(X509_get0_serialNumber(terminal.get())), ASN1_INTEGER_free);
      if (copy && X509_CRL_get0_by_serial(crl.get(), &entry, copy.get()) == 1 && entry != nullptr) {
        const auto at = wall_time_of(X509_REVOKED_get0_revocationDate(entry));
        out.push_back(finding("crl.terminal_certificate", Severity::failed,
                              "the terminal certificate (serial " + serial + ") is revoked" +
                                  (at ? " since " + when(*at) : std::string()) +
                                  ": the ONS will refuse every connection made with it",
                              "request a new terminal certificate from the 医療機関等向け総合ポータルサイト and install it "
                              "(set [ons] client_cert and client_key in " + where + ")"));
      } else {
        out.push_back(finding("crl.terminal_certificate", Severity::ok,
                              "the terminal certificate (serial " + serial + ") is not among the revoked"));
      }
    }
  }
  return out;
}

namespace detail {

// The rig's [pki] crl, when it names one: checked against the CA of [pki] crl_issuer, else the
// test PKI's terminal CA for an embedded mock, else the terminal certificate's issuer when the
// client_cert file carries it.
void check_crl(Examination& exam) {
  if (exam.rig.crl_file.empty()) return;
  CrlCheckInput input;
  input.crl_file = exam.rig.crl_file;
  input.now = exam.now;
  input.rig_file = exam.rig.file.string();
  input.warning_before = exam.options.crl_warning_before;
  std::vector<crypto::Certificate> terminal_bundle;
  if (exam.client && !exam.client->http.tls.cert_file.empty()) {
    try {
      terminal_bundle = crypto::Certificate::load_pem_bundle(exam.client->http.tls.cert_file);
    } catch (const Error&) {
      // terminal_certificate.file said so
    }
  }
  if (!terminal_bundle.empty()) input.terminal = terminal_bundle.front();
  if (!exam.rig.crl_issuer_file.empty()) {
    try {
      input.issuer = crypto::Certificate::load_pem_file(exam.rig.crl_issuer_file);
      input.issuer_source = "[pki] crl_issuer " + exam.rig.crl_issuer_file.string();
    } catch (const Error& e) {
      exam.failed("crl.signature", "the CA certificate " + exam.rig.crl_issuer_file.string() +
                                       " named by [pki] crl_issuer cannot be read: " + e.message(),
                  "point [pki] crl_issuer in " + exam.rig.file.string() + " at the PEM certificate of the CA that issued the "
                                                                           "terminal certificate");
    }
  } else if (!exam.remote_ons && exam.pki) {
    input.issuer = exam.pki->terminal_ca.certificate;
    input.issuer_source = "the test PKI's terminal CA";
  } else {
    for (std::size_t i = 1; i < terminal_bundle.size(); ++i) {
      if (terminal_bundle[i].subject() == terminal_bundle.front().issuer()) {
        input.issuer = terminal_bundle[i];
        input.issuer_source = "the issuer in [ons] client_cert";
      }
    }
  }
  for (Finding& f : examine_crl(input)) {
    // A crl_issuer that could not be read was reported above; do not warn twice.
    if (f.check == "crl.signature" && !input.issuer && !exam.rig.crl_issuer_file.empty()) continue;
    exam.findings.push_back(std::move(f));
  }
}

}  // namespace detail
}  // namespace onshi::doctor
