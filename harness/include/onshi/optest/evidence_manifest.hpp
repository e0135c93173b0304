#pragma once
// The evidence bundle's manifest (docs/optest.md, "Evidence"): every file of the bundle with
// its size and SHA-256, as JSON ("schema": "onshi-hil/evidence-manifest/1"). The manifest is
// what the vendor's CMS signature covers, so one changed byte in any listed file shows.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace onshi::optest {

inline constexpr const char* kManifestSchema = "onshi-hil/evidence-manifest/1";

struct ManifestEntry {
  std::string path;    // relative to the bundle, '/'-separated
  std::uintmax_t bytes = 0;
  std::string sha256;  // lower-case hex
};

struct EvidenceManifest {
  std::string created;  // ISO 8601 UTC
  std::string harness_version;
  std::vector<ManifestEntry> files;
};

// Lower-case hex SHA-256 of a file's bytes; Error(io) naming it when it cannot be read.
std::string sha256_file(const std::filesystem::path& file);
std::string sha256_hex(std::string_view bytes);

std::string to_json(const EvidenceManifest& manifest);
// Error(malformed_input) naming `where` and what is wrong.
EvidenceManifest parse_manifest(std::string_view json, const std::string& where);

}  // namespace onshi::optest
