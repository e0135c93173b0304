#include "onshi/pki/made_with.hpp"

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

#include "onshi/core/atomic_file.hpp"
#include "onshi/core/error.hpp"
#include "onshi/pki/pkcs12_export.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/server_names.hpp"
#include "onshi/pki/test_pki.hpp"

namespace onshi::pki {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

[[noreturn]] void malformed_made_with(const std::string& what, const fs::path& file) {
  throw Error(ErrorCode::config,
              "not a test PKI's made-with record (" + what + "); remove it, or make the PKI again with `onshi-hil pki "
              "--out DIR --force [--san …] [--p12]`",
              file.string());
}

}  // namespace

std::optional<MadeWith> read_made_with(const fs::path& dir) {
  const fs::path file = dir / kMadeWithFile;
  std::error_code ec;
  if (!fs::exists(file, ec)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorCode::io, "cannot read the test PKI's made-with record", file.string());
  json j;
  try {
    j = json::parse(in);
  } catch (const json::exception& e) {
    malformed_made_with(std::string("not JSON: ") + e.what(), file);
  }
  if (!j.is_object() || !j.contains("schema") || j.at("schema") != kMadeWithSchema) {
    malformed_made_with(std::string("schema is not \"") + kMadeWithSchema + "\"", file);
  }
  MadeWith out;
  if (j.contains("server_names")) {
    if (!j.at("server_names").is_array()) malformed_made_with("server_names is not a list", file);
    for (const json& name : j.at("server_names")) {
      if (!name.is_string()) malformed_made_with("server_names holds a value that is not text", file);
      const std::string text = name.get<std::string>();
      try {
        parse_server_names(text, file.string());
      } catch (const Error& e) {
        malformed_made_with("server_names: " + e.message(), file);
      }
      out.server_names.push_back(text);
    }
  }
  if (j.contains("pkcs12")) {
    if (!j.at("pkcs12").is_boolean()) malformed_made_with("pkcs12 is not true or false", file);
    out.pkcs12 = j.at("pkcs12").get<bool>();
  }
  if (j.contains("pkcs12_password_file") && !j.at("pkcs12_password_file").is_null()) {
    if (!j.at("pkcs12_password_file").is_string()) malformed_made_with("pkcs12_password_file is not text", file);
    out.pkcs12_password_file = j.at("pkcs12_password_file").get<std::string>();
  }
  return out;
}

void write_made_with(const fs::path& dir, const MadeWith& made_with) {
  json j = {{"schema", kMadeWithSchema}, {"server_names", made_with.server_names}, {"pkcs12", made_with.pkcs12}};
  j["pkcs12_password_file"] =
      made_with.pkcs12_password_file.empty() ? json(nullptr) : json(made_with.pkcs12_password_file);
  write_file_atomically(dir / kMadeWithFile, j.dump(2) + "\n");
}

MadeWith merged(MadeWith recorded, const MadeWith& asked) {
  for (const std::string& name : asked.server_names) {
    if (std::find(recorded.server_names.begin(), recorded.server_names.end(), name) == recorded.server_names.end()) {
      recorded.server_names.push_back(name);
    }
  }
  if (asked.pkcs12) {
    recorded.pkcs12 = true;
    if (!asked.pkcs12_password_file.empty()) recorded.pkcs12_password_file = fs::absolute(asked.pkcs12_password_file);
  }
  return recorded;
}

Recipe with_server_names(Recipe recipe, const MadeWith& made_with) {
  for (const std::string& name : made_with.server_names) add_server_names(recipe, parse_server_names(name, kMadeWithFile));
  return recipe;
}

std::string pkcs12_password(const MadeWith& made_with) {
  if (made_with.pkcs12_password_file.empty()) return kDefaultPkcs12Password;
  std::ifstream in(made_with.pkcs12_password_file);
  std::string line;
  if (!in || !std::getline(in, line)) {
    throw Error(ErrorCode::io, "cannot read the PKCS#12 password file", made_with.pkcs12_password_file);
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) {
    throw Error(ErrorCode::invalid_argument, "the PKCS#12 password file's first line is empty",
                made_with.pkcs12_password_file);
  }
  return line;
}

void write_pkcs12_files(const TestPki& pki, const fs::path& dir, const MadeWith& made_with) {
  if (!made_with.pkcs12) return;
  const std::string password = pkcs12_password(made_with);
  const PkiPaths paths(dir);
  for (const auto& [code, credential] : pki.terminals) {
    write_pkcs12(paths.terminal_cert(code).parent_path() / "terminal.p12", credential, {pki.terminal_ca.certificate},
                 password, "onshi-hil test terminal " + code);
  }
}

}  // namespace onshi::pki
