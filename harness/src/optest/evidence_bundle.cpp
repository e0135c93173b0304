#include "onshi/optest/evidence_bundle.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include "onshi/core/atomic_file.hpp"
#include "onshi/core/error.hpp"
#include "onshi/core/iso8601.hpp"
#include "onshi/optest/evidence_manifest.hpp"
#include "onshi/optest/evidence_signature.hpp"

namespace onshi::optest {
namespace fs = std::filesystem;
namespace {

std::optional<std::string> read_all(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

EvidenceWriter::EvidenceWriter(fs::path dir, std::string harness_version)
    : dir_(std::move(dir)), harness_version_(std::move(harness_version)) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec || !fs::is_directory(dir_)) {
    throw Error(ErrorCode::io, "cannot make the evidence folder: " + ec.message(), dir_.string());
  }
  // A bundle left by an earlier run must not mix into this one.
  fs::remove(dir_ / kManifestFile, ec);
  fs::remove(dir_ / kSignatureFile, ec);
}

void EvidenceWriter::write(const std::string& relative, std::string_view content) {
  fs::create_directories((dir_ / relative).parent_path());
  write_file_atomically(dir_ / relative, content);
  add(relative);
}

void EvidenceWriter::add(const std::string& relative) {
  if (!fs::is_regular_file(dir_ / relative)) throw Error(ErrorCode::io, "evidence file was not written", relative);
  files_.push_back(relative);
}

void EvidenceWriter::seal(const pki::Credential& signer) {
  EvidenceManifest manifest;
  manifest.created = format_iso8601_utc(std::chrono::system_clock::now());
  manifest.harness_version = harness_version_;
  for (const std::string& relative : files_) {
    manifest.files.push_back({relative, fs::file_size(dir_ / relative), sha256_file(dir_ / relative)});
  }
  const std::string json = to_json(manifest);
  write_file_atomically(dir_ / kManifestFile, json);
  write_file_atomically(dir_ / kSignatureFile, sign_detached(json, signer.certificate, signer.key));
}

EvidenceVerdict verify_evidence(const fs::path& dir, const std::vector<crypto::Certificate>& trusted) {
  if (!fs::is_directory(dir)) throw Error(ErrorCode::io, "not an evidence folder", dir.string());
  EvidenceVerdict verdict;
  const auto manifest_text = read_all(dir / kManifestFile);
  if (!manifest_text) return {false, kManifestFile, "missing", 0};
  const auto signature = read_all(dir / kSignatureFile);
  if (!signature) return {false, kSignatureFile, "missing", 0};
  if (const std::string problem = verify_detached(*manifest_text, *signature, trusted); !problem.empty()) {
    return {false, kManifestFile, problem + " (manifest.json or its signature was changed, or another CA signed it)", 0};
  }
  EvidenceManifest manifest;
  try {
    manifest = parse_manifest(*manifest_text, (dir / kManifestFile).string());
  } catch (const Error& e) {
    return {false, kManifestFile, e.what(), 0};
  }
  std::set<std::string> listed{kManifestFile, kSignatureFile};
  for (const ManifestEntry& entry : manifest.files) {
    listed.insert(entry.path);
    const fs::path file = dir / entry.path;
    if (!fs::is_regular_file(file)) return {false, entry.path, "listed in the manifest but missing", verdict.files_checked};
    std::string digest;
    try {
      digest = sha256_file(file);
    } catch (const Error& e) {
      return {false, entry.path, e.what(), verdict.files_checked};
    }
    if (digest != entry.sha256) {
      return {false, entry.path, "SHA-256 " + digest + " differs from the manifest's " + entry.sha256,
              verdict.files_checked};
    }
    ++verdict.files_checked;
  }
  std::error_code ec;
  for (const auto& item : fs::recursive_directory_iterator(dir, ec)) {
    if (!item.is_regular_file()) continue;
    const std::string relative = fs::relative(item.path(), dir).generic_string();
    if (listed.count(relative) == 0) return {false, relative, "in the folder but not in the manifest", verdict.files_checked};
  }
  verdict.ok = true;
  return verdict;
}

}  // namespace onshi::optest
