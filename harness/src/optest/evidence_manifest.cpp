#include "onshi/optest/evidence_manifest.hpp"

#include <fstream>
#include <memory>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "onshi/core/error.hpp"

namespace onshi::optest {
namespace {

struct DigestDeleter {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};

std::string hex(const unsigned char* data, unsigned size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < size; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 0xF];
  }
  return out;
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
    throw Error(ErrorCode::crypto, "SHA-256 failed", "evidence manifest");
  }
  return hex(digest, size);
}

std::string sha256_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorCode::io, "cannot read", file.string());
  std::unique_ptr<EVP_MD_CTX, DigestDeleter> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    throw Error(ErrorCode::crypto, "SHA-256 failed", file.string());
  }
  char buffer[1 << 16];
  while (in) {
    in.read(buffer, sizeof buffer);
    if (in.gcount() > 0) EVP_DigestUpdate(ctx.get(), buffer, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw Error(ErrorCode::io, "read failed", file.string());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned size = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest, &size) != 1) throw Error(ErrorCode::crypto, "SHA-256 failed", file.string());
  return hex(digest, size);
}

std::string to_json(const EvidenceManifest& manifest) {
  nlohmann::ordered_json j;
  j["schema"] = kManifestSchema;
  j["created"] = manifest.created;
  j["harness_version"] = manifest.harness_version;
  j["files"] = nlohmann::ordered_json::array();
  for (const auto& f : manifest.files) {
    j["files"].push_back({{"path", f.path}, {"bytes", f.bytes}, {"sha256", f.sha256}});
  }
  return j.dump(2) + "\n";
}

EvidenceManifest parse_manifest(std::string_view json, const std::string& where) {
  const nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw Error(ErrorCode::malformed_input, "not a JSON object", where);
  if (j.value("schema", "") != kManifestSchema) {
    throw Error(ErrorCode::malformed_input, std::string("schema is not ") + kManifestSchema, where);
  }
  EvidenceManifest m;
  m.created = j.value("created", "");
  m.harness_version = j.value("harness_version", "");
  if (!j.contains("files") || !j["files"].is_array()) throw Error(ErrorCode::malformed_input, "no 'files' array", where);
  for (const auto& f : j["files"]) {
    if (!f.is_object() || !f.contains("path") || !f["path"].is_string() || !f.contains("sha256") ||
        !f["sha256"].is_string() || !f.contains("bytes") || !f["bytes"].is_number_unsigned()) {
      throw Error(ErrorCode::malformed_input, "a 'files' entry without path, bytes and sha256", where);
    }
    ManifestEntry e{f["path"].get<std::string>(), f["bytes"].get<std::uintmax_t>(), f["sha256"].get<std::string>()};
    const std::filesystem::path p(e.path);
    if (e.path.empty() || p.is_absolute() || e.path.find("..") != std::string::npos) {
      throw Error(ErrorCode::malformed_input, "a file path that leaves the bundle: '" + e.path + "'", where);
    }
    m.files.push_back(std::move(e));
  }
  return m;
}

}  // namespace onshi::optest
