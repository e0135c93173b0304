#pragma once
// The evidence bundle a vendor hands over (docs/optest.md, "Evidence"): a folder of files,
// manifest.json listing each with its SHA-256, and manifest.json.p7s, the manifest's detached
// CMS signature by the vendor's signing certificate. Writing: add files, then seal. Checking:
// verify_evidence checks the signature, its chain to the vendor CA and every file's hash, and
// names the first file that differs.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "onshi/crypto/certificate.hpp"
#include "onshi/pki/credential.hpp"

namespace onshi::optest {

inline constexpr const char* kManifestFile = "manifest.json";
inline constexpr const char* kSignatureFile = "manifest.json.p7s";

class EvidenceWriter {
 public:
  // Creates `dir`; Error(io) naming it when it cannot be made or written.
  EvidenceWriter(std::filesystem::path dir, std::string harness_version);
  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path path_of(const std::string& relative) const { return dir_ / relative; }
  // Writes one file (atomically) and lists it.
  void write(const std::string& relative, std::string_view content);
  // Lists a file something else wrote into the folder (a reporter's output).
  void add(const std::string& relative);
  // Writes manifest.json and manifest.json.p7s signed by `signer`.
  void seal(const pki::Credential& signer);

 private:
  std::filesystem::path dir_;
  std::string harness_version_;
  std::vector<std::string> files_;
};

struct EvidenceVerdict {
  bool ok = false;
  std::string file;    // the first file that differs (or the manifest/signature), empty when ok
  std::string reason;  // why, in words
  std::size_t files_checked = 0;
};

// Never throws for what the bundle holds; Error(io) only when `dir` is not a folder.
EvidenceVerdict verify_evidence(const std::filesystem::path& dir, const std::vector<crypto::Certificate>& trusted);

}  // namespace onshi::optest
