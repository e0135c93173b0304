#pragma once
// What a test PKI directory was made with beyond the recipe, so that whoever makes it again —
// `run --pki` or `mock ons` finding it stale, `pki --out DIR --force` — makes the same: the
// extra server names of `pki --san` and the PKCS#12 files of `pki --p12` (with the file its
// password came from). Kept as `made-with.json` in the PKI directory (docs/receipt-computer.md,
// "Reaching the mock from another machine"):
//   {"schema": "onshi-hil/test-pki-made-with/1", "server_names": ["DNS:onshi-mock.lan", "IP:192.168.10.5"],
//    "pkcs12": true, "pkcs12_password_file": "/abs/path" | null}
// The password itself is never written down, only where it came from.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "onshi/pki/recipe.hpp"

namespace onshi::pki {

struct TestPki;

inline constexpr const char* kMadeWithSchema = "onshi-hil/test-pki-made-with/1";
inline constexpr const char* kMadeWithFile = "made-with.json";

struct MadeWith {
  std::vector<std::string> server_names;  // "DNS:name" / "IP:addr", each once, in the order first asked
  bool pkcs12 = false;                    // terminals/<code>/terminal.p12 for every terminal
  std::string pkcs12_password_file;       // absolute; empty: kDefaultPkcs12Password

  bool empty() const { return server_names.empty() && !pkcs12; }
  bool operator==(const MadeWith&) const = default;
};

// What `dir` records, or nullopt when it records nothing (no made-with.json, or no `dir`).
// Throws Error(config) naming the file when it is there but not what write_made_with writes.
std::optional<MadeWith> read_made_with(const std::filesystem::path& dir);

// Writes `dir`/made-with.json atomically.
void write_made_with(const std::filesystem::path& dir, const MadeWith& made_with);

// `recorded` with what is asked now added: server names each once, PKCS#12 when either wants it
// (the password file asked now wins).
MadeWith merged(MadeWith recorded, const MadeWith& asked);

// `recipe` naming the recorded server names too.
Recipe with_server_names(Recipe recipe, const MadeWith& made_with);

// The PKCS#12 password: the first line of the password file, or kDefaultPkcs12Password.
// Throws Error naming the file when it cannot be read or its first line is empty.
std::string pkcs12_password(const MadeWith& made_with);

// terminals/<code>/terminal.p12 under `dir` for every terminal of `pki` (key, certificate,
// terminal CA), when `made_with` asks for them.
void write_pkcs12_files(const TestPki& pki, const std::filesystem::path& dir, const MadeWith& made_with);

}  // namespace onshi::pki
