// Writing, loading and ensuring the on-disk test PKI (layout: onshi/pki/pki_paths.hpp).
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include <openssl/err.h>
#include <openssl/x509.h>

#include <nlohmann/json.hpp>

#include "onshi/core/atomic_file.hpp"
#include "onshi/core/error.hpp"
#include "onshi/core/iso8601.hpp"
#include "onshi/ons/medical_institution_code.hpp"
#include "onshi/pki/crl.hpp"
#include "onshi/pki/made_with.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/population_cards.hpp"
#include "onshi/pki/server_names.hpp"
#include "onshi/pki/test_pki.hpp"

namespace onshi::pki {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string errno_text() { return std::strerror(errno); }

void make_dir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(ErrorCode::io, "cannot create directory: " + ec.message(), dir.string());
}

// On disk before the directory is renamed into place: a test PKI is written rarely and a
// terminal may trust its CA for months, so a power cut must not leave empty files behind.
void write_credential(const Credential& credential, const fs::path& cert, const fs::path& key) {
  write_file_atomically(key, credential.key.to_pem(), 0600, FileSync::to_disk);  // a private key: owner only
  write_file_atomically(cert, credential.certificate.to_pem(), 0644, FileSync::to_disk);
}

[[noreturn]] void malformed(const std::string& message, const fs::path& file) {
  throw Error(ErrorCode::malformed_input, message, file.string());
}

// OpenSSL's own words for why `key` is not the key of `certificate` ("key values mismatch",
// "key type mismatch"), or "" when it is.
std::string key_mismatch_reason(const Credential& credential) {
  ERR_clear_error();
  if (X509_check_private_key(credential.certificate.get(), credential.key.get()) == 1) return {};
  std::string reason;
  char buffer[256];
  while (const unsigned long e = ERR_get_error()) {
    ERR_error_string_n(e, buffer, sizeof buffer);
    if (!reason.empty()) reason += "; ";
    reason += buffer;
  }
  return reason.empty() ? "X509_check_private_key failed" : reason;
}

Credential load_credential(const fs::path& cert, const fs::path& key) {
  Credential credential;
  credential.certificate = crypto::Certificate::load_pem_file(cert);
  credential.key = crypto::PrivateKey::load_pem_file(key);
  if (const std::string reason = key_mismatch_reason(credential); !reason.empty()) {
    malformed("private key does not match its certificate " + cert.string() + ": " + reason, key);
  }
  return credential;
}

void require_issued_by(const Credential& leaf, const Credential& ca, const fs::path& leaf_file,
                       const fs::path& ca_file) {
  if (!leaf.certificate.issued_by(ca.certificate)) malformed("certificate is not signed by " + ca_file.string(), leaf_file);
}

// A manifest path: relative, inside the PKI directory.
fs::path manifest_path(const fs::path& dir, const json& entry, const char* key, const fs::path& manifest,
                       const std::string& where) {
  const auto found = entry.find(key);
  if (found == entry.end() || !found->is_string()) malformed(where + "." + key + " missing or not a string", manifest);
  const fs::path relative = fs::path(found->get<std::string>()).lexically_normal();
  if (relative.empty() || relative.is_absolute() || *relative.begin() == "..") {
    malformed(where + "." + key + " must be a path inside the PKI directory", manifest);
  }
  return dir / relative;
}

std::string manifest_string(const json& entry, const char* key, const fs::path& manifest, const std::string& where) {
  const auto found = entry.find(key);
  if (found == entry.end() || !found->is_string()) malformed(where + "." + key + " missing or not a string", manifest);
  return found->get<std::string>();
}

json read_manifest(const fs::path& manifest) {
  std::ifstream in(manifest, std::ios::binary);
  if (!in) throw Error(ErrorCode::not_found, "test PKI manifest missing", manifest.string());
  json doc;
  try {
    doc = json::parse(in);
  } catch (const json::exception& e) {
    malformed(std::string("manifest is not valid JSON: ") + e.what(), manifest);
  }
  if (!doc.is_object()) malformed("manifest is not a JSON object", manifest);
  if (doc.value("schema", std::string()) != kManifestSchema) {
    malformed(std::string("manifest schema is not \"") + kManifestSchema + "\"", manifest);
  }
  return doc;
}

// An exclusive flock(2) on a file beside the PKI directory, released on destruction.
class DirectoryLock {
 public:
  explicit DirectoryLock(const fs::path& file) {
    fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) throw Error(ErrorCode::io, "cannot open lock file: " + errno_text(), file.string());
    while (::flock(fd_, LOCK_EX) != 0) {
      if (errno != EINTR) {
        ::close(fd_);
        throw Error(ErrorCode::io, "cannot lock: " + errno_text(), file.string());
      }
    }
  }
  ~DirectoryLock() { ::close(fd_); }
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace

void write_test_pki(const TestPki& pki, const fs::path& dir) {
  const PkiPaths paths(dir);
  make_dir(dir);
  write_credential(pki.ons_ca, paths.ons_ca_cert(), paths.ons_ca_key());
  write_credential(pki.ons_server, paths.ons_server_cert(), paths.ons_server_key());
  write_file_atomically(paths.ons_server_chain(), pki.ons_server.certificate.to_pem() + pki.ons_ca.certificate.to_pem(), 0644,
                        FileSync::to_disk);
  write_credential(pki.terminal_ca, paths.terminal_ca_cert(), paths.terminal_ca_key());
  write_file_atomically(paths.terminal_ca_crl(), terminal_ca_crl_pem(pki), 0644, FileSync::to_disk);
  write_credential(pki.foreign_ca, paths.foreign_ca_cert(), paths.foreign_ca_key());
  write_credential(pki.foreign_terminal, paths.foreign_terminal_cert(), paths.foreign_terminal_key());
  write_credential(pki.jpki_ca, paths.jpki_ca_cert(), paths.jpki_ca_key());

  nlohmann::ordered_json facilities = nlohmann::ordered_json::array();
  for (const auto& [code, credential] : pki.terminals) {
    write_credential(credential, paths.terminal_cert(code), paths.terminal_key(code));
    facilities.push_back({{"code", code},
                          {"cert", PkiPaths::terminal_cert_relative(code)},
                          {"key", PkiPaths::terminal_key_relative(code)},
                          {"serial", credential.certificate.serial_hex()}});
  }
  nlohmann::ordered_json patients = nlohmann::ordered_json::array();
  for (const auto& [id, credential] : pki.patients) {
    write_credential(credential, paths.patient_auth_cert(id), paths.patient_auth_key(id));
    nlohmann::ordered_json entry = {{"id", id},
                                    {"cert", PkiPaths::patient_auth_cert_relative(id)},
                                    {"key", PkiPaths::patient_auth_key_relative(id)},
                                    {"serial", credential.certificate.serial_hex()}};
    if (const auto sign = pki.patient_signatures.find(id); sign != pki.patient_signatures.end()) {
      write_credential(sign->second, paths.patient_sign_cert(id), paths.patient_sign_key(id));
      entry["sign_cert"] = PkiPaths::patient_sign_cert_relative(id);
      entry["sign_key"] = PkiPaths::patient_sign_key_relative(id);
      entry["sign_serial"] = sign->second.certificate.serial_hex();
    }
    patients.push_back(entry);
  }
  nlohmann::ordered_json cards = nlohmann::ordered_json::array();
  for (const auto& [id, card] : pki.population_cards) {
    write_credential(card.auth, paths.patient_auth_cert(id), paths.patient_auth_key(id));
    write_credential(card.sign, paths.patient_sign_cert(id), paths.patient_sign_key(id));
    cards.push_back({{"id", id},
                     {"cert", PkiPaths::patient_auth_cert_relative(id)},
                     {"key", PkiPaths::patient_auth_key_relative(id)},
                     {"serial", card.auth.certificate.serial_hex()},
                     {"sign_cert", PkiPaths::patient_sign_cert_relative(id)},
                     {"sign_key", PkiPaths::patient_sign_key_relative(id)},
                     {"sign_serial", card.sign.certificate.serial_hex()}});
  }
  // Key order as documented in pki_paths.hpp: a person reading the file finds the schema first.
  nlohmann::ordered_json manifest = {{"schema", kManifestSchema},
                                     {"generated", format_iso8601_utc(pki.generated)},
                                     {"facilities", facilities},
                                     {"patients", patients}};
  if (!cards.empty()) manifest["cards"] = cards;  // absent unless asked for: older readers see no change
  // Last: its presence marks completeness.
  write_file_atomically(paths.manifest(), manifest.dump(2) + "\n", 0644, FileSync::to_disk);
}

TestPki load_test_pki(const fs::path& dir) {
  const PkiPaths paths(dir);
  const fs::path manifest_file = paths.manifest();
  const json manifest = read_manifest(manifest_file);

  TestPki pki;
  const auto generated = parse_iso8601_utc(manifest.value("generated", std::string()));
  if (!generated) malformed("manifest 'generated' is not an ISO 8601 UTC time (YYYY-MM-DDTHH:MM:SSZ)", manifest_file);
  pki.generated = *generated;

  pki.ons_ca = load_credential(paths.ons_ca_cert(), paths.ons_ca_key());
  pki.ons_server = load_credential(paths.ons_server_cert(), paths.ons_server_key());
  require_issued_by(pki.ons_server, pki.ons_ca, paths.ons_server_cert(), paths.ons_ca_cert());
  const auto chain = crypto::Certificate::load_pem_bundle(paths.ons_server_chain());
  if (chain.size() != 2 ||
      chain[0].sha256_fingerprint() != pki.ons_server.certificate.sha256_fingerprint() ||
      chain[1].sha256_fingerprint() != pki.ons_ca.certificate.sha256_fingerprint()) {
    malformed("chain is not ons-server/cert.pem followed by ons-ca/cert.pem", paths.ons_server_chain());
  }
  pki.terminal_ca = load_credential(paths.terminal_ca_cert(), paths.terminal_ca_key());
  pki.foreign_ca = load_credential(paths.foreign_ca_cert(), paths.foreign_ca_key());
  pki.foreign_terminal = load_credential(paths.foreign_terminal_cert(), paths.foreign_terminal_key());
  require_issued_by(pki.foreign_terminal, pki.foreign_ca, paths.foreign_terminal_cert(), paths.foreign_ca_cert());
  pki.foreign_terminal_code = pki.foreign_terminal.certificate.subject_attribute("serialNumber");
  if (pki.foreign_terminal_code.empty()) malformed("no serialNumber in the subject", paths.foreign_terminal_cert());
  pki.jpki_ca = load_credential(paths.jpki_ca_cert(), paths.jpki_ca_key());

  auto entries = [&](const char* key) -> const json& {
    const auto found = manifest.find(key);
    if (found == manifest.end() || !found->is_array()) malformed(std::string("manifest '") + key + "' is not an array", manifest_file);
    return *found;
  };
  auto check_serial = [&](const json& entry, const Credential& credential, const fs::path& cert,
                          const std::string& where) {
    const std::string serial = manifest_string(entry, "serial", manifest_file, where);
    if (serial != credential.certificate.serial_hex()) {
      malformed("serial " + credential.certificate.serial_hex() + " differs from the manifest's " + serial +
                    " (" + where + ")",
                cert);
    }
  };

  std::size_t index = 0;
  for (const json& entry : entries("facilities")) {
    const std::string where = "facilities[" + std::to_string(index++) + "]";
    if (!entry.is_object()) malformed(where + " is not an object", manifest_file);
    const std::string code = manifest_string(entry, "code", manifest_file, where);
    if (const auto problem = ons::medical_institution_code_problem(code)) {
      malformed(where + ": " + *problem, manifest_file);
    }
    const fs::path cert = manifest_path(dir, entry, "cert", manifest_file, where);
    Credential credential = load_credential(cert, manifest_path(dir, entry, "key", manifest_file, where));
    require_issued_by(credential, pki.terminal_ca, cert, paths.terminal_ca_cert());
    check_serial(entry, credential, cert, where);
    if (credential.certificate.subject_attribute("serialNumber") != code) {
      malformed("subject serialNumber is not the facility code " + code, cert);
    }
    if (!pki.terminals.emplace(code, std::move(credential)).second) malformed("duplicate facility " + code, manifest_file);
  }
  index = 0;
  for (const json& entry : entries("patients")) {
    const std::string where = "patients[" + std::to_string(index++) + "]";
    if (!entry.is_object()) malformed(where + " is not an object", manifest_file);
    const std::string id = manifest_string(entry, "id", manifest_file, where);
    const fs::path cert = manifest_path(dir, entry, "cert", manifest_file, where);
    Credential credential = load_credential(cert, manifest_path(dir, entry, "key", manifest_file, where));
    require_issued_by(credential, pki.jpki_ca, cert, paths.jpki_ca_cert());
    check_serial(entry, credential, cert, where);
    if (!pki.patients.emplace(id, std::move(credential)).second) malformed("duplicate patient " + id, manifest_file);
    // Older PKIs have no signature credentials: load what is there; ensure_test_pki regenerates.
    if (entry.contains("sign_cert")) {
      const fs::path sign_cert = manifest_path(dir, entry, "sign_cert", manifest_file, where);
      Credential sign = load_credential(sign_cert, manifest_path(dir, entry, "sign_key", manifest_file, where));
      require_issued_by(sign, pki.jpki_ca, sign_cert, paths.jpki_ca_cert());
      if (manifest_string(entry, "sign_serial", manifest_file, where) != sign.certificate.serial_hex()) {
        malformed("serial differs from the manifest's sign_serial (" + where + ")", sign_cert);
      }
      pki.patient_signatures.emplace(id, std::move(sign));
    }
  }
  index = 0;
  if (const auto cards = manifest.find("cards"); cards != manifest.end()) {
    if (!cards->is_array()) malformed("manifest 'cards' is not an array", manifest_file);
    for (const json& entry : *cards) {
      const std::string where = "cards[" + std::to_string(index++) + "]";
      if (!entry.is_object()) malformed(where + " is not an object", manifest_file);
      const std::string id = manifest_string(entry, "id", manifest_file, where);
      const fs::path cert = manifest_path(dir, entry, "cert", manifest_file, where);
      const fs::path sign_cert = manifest_path(dir, entry, "sign_cert", manifest_file, where);
      CardCredentials card{load_credential(cert, manifest_path(dir, entry, "key", manifest_file, where)),
                           load_credential(sign_cert, manifest_path(dir, entry, "sign_key", manifest_file, where))};
      require_issued_by(card.auth, pki.jpki_ca, cert, paths.jpki_ca_cert());
      require_issued_by(card.sign, pki.jpki_ca, sign_cert, paths.jpki_ca_cert());
      check_serial(entry, card.auth, cert, where);
      if (manifest_string(entry, "sign_serial", manifest_file, where) != card.sign.certificate.serial_hex()) {
        malformed("serial differs from the manifest's sign_serial (" + where + ")", sign_cert);
      }
      if (pki.patients.contains(id) || !pki.population_cards.emplace(id, std::move(card)).second) {
        malformed("duplicate patient " + id + " (" + where + ")", manifest_file);
      }
    }
  }
  return pki;
}

namespace {

// The absolute form of `dir` without a trailing slash: its parent holds the lock, the staging
// directory and the PKI kept aside.
fs::path normalised_target(const fs::path& dir) {
  fs::path target = fs::absolute(dir).lexically_normal();
  if (!target.has_filename()) target = target.parent_path();
  return target;
}

fs::path lock_file(const fs::path& target) { return target.parent_path() / ("." + target.filename().string() + ".lock"); }

std::string staging_prefix(const fs::path& target) { return "." + target.filename().string() + ".new-"; }

// Nothing there yet: a missing directory or an empty one (a fresh `mktemp -d`).
bool holds_nothing(const fs::path& target) {
  std::error_code ec;
  if (!fs::exists(target, ec)) return true;
  return fs::is_directory(target, ec) && fs::is_empty(target, ec);
}

// Staging directories of writers that were killed (SIGKILL, power cut) before renaming theirs
// into place. Called under the lock, so no live writer owns one.
void remove_abandoned_staging(const fs::path& target) {
  const std::string prefix = staging_prefix(target);
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(target.parent_path(), ec)) {
    if (entry.path().filename().string().starts_with(prefix)) fs::remove_all(entry.path(), ec);
  }
}

void sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // best effort: the rename itself already happened
  ::fsync(fd);
  ::close(fd);
}

// Writes `pki` into a staging directory beside `target` and puts it in place; returns where
// the previous `target` now is (the staging path), or nothing when there was none. The swap
// is one renameat2(RENAME_EXCHANGE), so `target` always holds a whole PKI, the old or the new;
// where the file system cannot exchange, two renames leave a moment with no `target`, which
// a reader takes for a missing PKI, never for a half one.
std::optional<fs::path> swap_into_place(const TestPki& pki, const fs::path& target, const MadeWith& made_with) {
  const fs::path parent = target.parent_path();
  const fs::path staging = parent / (staging_prefix(target) + std::to_string(::getpid()));
  std::error_code ec;
  fs::remove_all(staging, ec);
  write_test_pki(pki, staging);
  // What it was made with goes with it, so the next one made in its place is made the same.
  if (!made_with.empty()) {
    write_pkcs12_files(pki, staging, made_with);
    write_made_with(staging, made_with);
  }
  sync_directory(staging);
  if (!fs::exists(target)) {
    fs::rename(staging, target, ec);
    if (ec) throw Error(ErrorCode::io, "cannot move the new test PKI into place: " + ec.message(), target.string());
    sync_directory(parent);
    return std::nullopt;
  }
  if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
    sync_directory(parent);
    return staging;
  }
  if (errno != EINVAL && errno != ENOSYS) {
    throw Error(ErrorCode::io, "cannot swap the new test PKI into place: " + errno_text(), target.string());
  }
  const fs::path retired = parent / ("." + target.filename().string() + ".old-" + std::to_string(::getpid()));
  fs::remove_all(retired, ec);
  fs::rename(target, retired, ec);
  if (ec) throw Error(ErrorCode::io, "cannot move the old test PKI aside: " + ec.message(), target.string());
  fs::rename(staging, target, ec);
  if (ec) throw Error(ErrorCode::io, "cannot move the new test PKI into place: " + ec.message(), target.string());
  sync_directory(parent);
  return retired;
}

// Replaces `target` with `pki`, dropping the previous one (stale: expired, or made for another
// population or recipe).
void replace_directory(const TestPki& pki, const fs::path& target, const MadeWith& made_with) {
  if (const auto previous = swap_into_place(pki, target, made_with)) {
    std::error_code ec;
    fs::remove_all(*previous, ec);
  }
}

// DIR.old-20261201T203300Z, or DIR.old-20261201T203300Z-2 when that exists.
fs::path aside_path(const fs::path& target, WallTime now) {
  std::string stamp = format_iso8601_utc(now);
  std::erase(stamp, '-');
  std::erase(stamp, ':');
  const fs::path first = target.parent_path() / (target.filename().string() + ".old-" + stamp);
  fs::path candidate = first;
  for (int n = 2; fs::exists(candidate); ++n) candidate = first.string() + "-" + std::to_string(n);
  return candidate;
}

// The refusal of a damaged PKI: the file and the reason (OpenSSL's, for keys and
// certificates) from the load, what was done (nothing) and how to get a new one.
Error damaged_pki(const fs::path& target, const Error& cause) {
  const std::string file = cause.context().empty() ? target.string() : cause.context();
  return Error(ErrorCode::config,
               "the test PKI in " + target.string() + " is damaged (" + std::string(to_string(cause.code())) +
                   "): " + cause.message() + ". Nothing was changed; `onshi-hil pki --out " + target.string() +
                   " --force` makes a new one and keeps this one as " + target.filename().string() + ".old-<time>",
               file);
}

}  // namespace

TestPki ensure_test_pki(const fs::path& dir, const Recipe& asked_recipe, const population::Population& population,
                        const std::vector<std::string>& card_patient_ids, const Clock& clock, const MadeWith& asked) {
  const fs::path target = normalised_target(dir);
  make_dir(target.parent_path());
  const DirectoryLock lock(lock_file(target));
  remove_abandoned_staging(target);

  if (holds_nothing(target)) {
    const Recipe recipe = with_server_names(asked_recipe, asked);
    TestPki pki = generate_test_pki(recipe, population, clock);
    add_population_cards(pki, recipe, card_patient_ids, clock);
    replace_directory(pki, target, merged({}, asked));  // an empty directory is swapped out and dropped
    return pki;
  }
  std::optional<TestPki> existing;
  std::optional<MadeWith> recorded;
  try {
    existing = load_test_pki(target);
    recorded = read_made_with(target);
  } catch (const Error& e) {
    throw damaged_pki(target, e);
  }
  const MadeWith made_with = merged(recorded.value_or(MadeWith{}), asked);
  const Recipe recipe = with_server_names(asked_recipe, made_with);
  if (unusable_reason(*existing, recipe, population, clock.wall_now()).empty()) {
    TestPki pki = std::move(*existing);
    bool changed = add_population_cards(pki, recipe, card_patient_ids, clock) > 0;
    // A server name asked for later (`pki --san`) gets a new server certificate from the same
    // CA, so a vendor's machine that already trusts the CA keeps trusting the mock.
    if (!missing_server_names(pki.ons_server.certificate, recipe).empty()) {
      reissue_ons_server(pki, recipe, clock);
      changed = true;
    }
    if (changed) {
      replace_directory(pki, target, made_with);
    } else {
      // Kept as it is; what is asked now is added to it in place.
      if (asked.pkcs12) write_pkcs12_files(pki, target, made_with);
      if (made_with != recorded.value_or(MadeWith{})) write_made_with(target, made_with);
    }
    return pki;
  }

  TestPki pki = generate_test_pki(recipe, population, clock);
  // A generated population's cards survive the new CA: their keys (the slow part) are kept.
  recertify_population_cards(*existing, pki, recipe, clock);
  add_population_cards(pki, recipe, card_patient_ids, clock);
  replace_directory(pki, target, made_with);
  return pki;
}

RegeneratedPki regenerate_test_pki(const fs::path& dir, const Recipe& asked_recipe,
                                   const population::Population& population,
                                   const std::vector<std::string>& card_patient_ids, const Clock& clock,
                                   const MadeWith& asked) {
  const fs::path target = normalised_target(dir);
  make_dir(target.parent_path());
  const DirectoryLock lock(lock_file(target));
  remove_abandoned_staging(target);

  // Made again whatever it holds: a record it cannot read is a damage like any other, and dropped.
  std::optional<MadeWith> recorded;
  try {
    recorded = read_made_with(target);
  } catch (const Error&) {
  }
  const MadeWith made_with = merged(recorded.value_or(MadeWith{}), asked);
  const Recipe recipe = with_server_names(asked_recipe, made_with);
  RegeneratedPki out;
  out.pki = generate_test_pki(recipe, population, clock);
  add_population_cards(out.pki, recipe, card_patient_ids, clock);
  if (holds_nothing(target)) {
    replace_directory(out.pki, target, made_with);
    return out;
  }
  const fs::path aside = aside_path(target, clock.wall_now());
  const auto previous = swap_into_place(out.pki, target, made_with);
  if (previous) {
    std::error_code ec;
    fs::rename(*previous, aside, ec);
    if (ec) {
      throw Error(ErrorCode::io, "the new test PKI is in place, but the old one could not be renamed to " + aside.string() +
                                     ": " + ec.message() + " (it is in " + previous->string() + ")",
                  target.string());
    }
    sync_directory(target.parent_path());
    out.kept_aside = aside;
  }
  return out;
}

TestPki ensure_test_pki(const fs::path& dir, const Recipe& recipe, const population::Population& population,
                        const Clock& clock) {
  return ensure_test_pki(dir, recipe, population, {}, clock, {});
}

TestPki ensure_test_pki(const fs::path& dir) {
  return ensure_test_pki(dir, load_recipe(), population::load_population());
}

}  // namespace onshi::pki
