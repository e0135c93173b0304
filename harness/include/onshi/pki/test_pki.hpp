#pragma once
// The generated test PKI: ONS server CA + server cert, terminal CA + one client cert per
// facility, a foreign CA + one client cert (to prove other CAs are refused), and a JPKI-like
// user-authentication CA + one key/cert per patient. Made from the recipe at build/test time,
// written in the layout of pki_paths.hpp, loaded back by anything that needs it.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "onshi/core/clock.hpp"
#include "onshi/population/population.hpp"
#include "onshi/pki/card_credentials.hpp"
#include "onshi/pki/credential.hpp"
#include "onshi/pki/made_with.hpp"
#include "onshi/pki/recipe.hpp"

namespace onshi::pki {

inline constexpr const char* kManifestSchema = "onshi-hil/test-pki/1";

struct TestPki {
  WallTime generated{};
  Credential ons_ca;
  Credential ons_server;
  Credential terminal_ca;
  std::map<std::string, Credential> terminals;  // by 10-digit facility code
  Credential foreign_ca;
  Credential foreign_terminal;
  std::string foreign_terminal_code;  // the (first) facility code the foreign cert claims
  Credential jpki_ca;
  std::map<std::string, Credential> patients;  // by patient id (P001...)
  std::map<std::string, Credential> patient_signatures;  // 署名用 key and certificate, by patient id
  // Cards of a generated population's patients (population_cards.hpp), by patient id; apart
  // from `patients`, which stays the recipe population's set that unusable_reason compares.
  std::map<std::string, CardCredentials> population_cards;

  // Throw Error(not_found) naming the code / id. patient() and patient_signature() also find
  // population cards.
  const Credential& terminal(const std::string& code) const;
  const Credential& patient(const std::string& id) const;
  const Credential& patient_signature(const std::string& id) const;
};

// Makes every key and certificate in memory (about a dozen RSA keys). Throws Error(config)
// when the population has no facility, a code that is not 10 digits, or an id unfit for a
// directory name.
TestPki generate_test_pki(const Recipe& recipe, const population::Population& population,
                          const Clock& clock = SystemClock::instance());

// A new ONS server key and certificate from the same ONS CA, naming the recipe's server names
// (`pki --san`); every other credential stays as it is.
void reissue_ons_server(TestPki& pki, const Recipe& recipe, const Clock& clock = SystemClock::instance());

// Writes the layout of pki_paths.hpp under `dir` (created if needed); manifest.json last.
void write_test_pki(const TestPki& pki, const std::filesystem::path& dir);

// Reads what write_test_pki wrote and checks it: every file present and parsable, each key
// matching its certificate, each leaf signed by its CA, manifest serials matching.
// Throws onshi::Error whose context names the offending file.
TestPki load_test_pki(const std::filesystem::path& dir);

// Why `pki` should not be reused for (recipe, population) at `now`, or "" when it may:
// facilities/patients differ from the population, key size differs from the recipe,
// a certificate is not yet valid or expires within `margin`.
std::string unusable_reason(const TestPki& pki, const Recipe& recipe, const population::Population& population,
                            WallTime now, std::chrono::hours margin = std::chrono::hours(24));

// The test PKI in `dir`, made when `dir` is missing or empty. A complete, usable PKI is loaded
// as it is; a stale one (expired, or made for another population or recipe) is regenerated.
// A damaged one (a file missing, truncated or unparsable, a key that is not its certificate's,
// a manifest that does not match) is refused: Error(config) whose context names the file and
// whose message gives the reason (OpenSSL's, for keys and certificates), `dir` left untouched.
// Regenerating it is regenerate_test_pki's job (`onshi-hil pki --out DIR --force`): a vendor's
// terminal may trust the CA it holds.
// A new PKI is written to a staging directory beside `dir` and swapped in, so `dir` never holds
// half a PKI, even after a SIGKILL. Safe to call from concurrent processes (a lock file beside
// `dir`; flock(2), so a killed holder leaves no stale lock).
TestPki ensure_test_pki(const std::filesystem::path& dir, const Recipe& recipe,
                        const population::Population& population, const Clock& clock = SystemClock::instance());
// Same with load_recipe() and population::load_population().
TestPki ensure_test_pki(const std::filesystem::path& dir);
// ensure_test_pki, then population cards (population_cards.hpp) for each of
// `card_patient_ids` that has none, written back under the same lock.
// What `dir` records it was made with (made_with.hpp) and what is `asked` now are made again
// whenever it is made anew or rewritten: the server certificate names every recorded server
// name, the .p12 files are written again. `asked` is recorded too (`pki --out DIR --san … --p12`).
TestPki ensure_test_pki(const std::filesystem::path& dir, const Recipe& recipe, const population::Population& population,
                        const std::vector<std::string>& card_patient_ids, const Clock& clock = SystemClock::instance(),
                        const MadeWith& asked = {});

struct RegeneratedPki {
  TestPki pki;
  // Where the previous content of the directory now is (DIR.old-<yyyymmddThhmmssZ>), or
  // nothing when there was none.
  std::optional<std::filesystem::path> kept_aside;
};

// A new test PKI in `dir` whatever it holds, damaged or not; the previous directory is renamed
// beside it, never deleted. Same staging, swap and lock as ensure_test_pki, and made with what
// the old one records (when readable) and what is `asked`, as there.
RegeneratedPki regenerate_test_pki(const std::filesystem::path& dir, const Recipe& recipe,
                                   const population::Population& population,
                                   const std::vector<std::string>& card_patient_ids = {},
                                   const Clock& clock = SystemClock::instance(), const MadeWith& asked = {});

// $ONSHI_TEST_PKI (set by ctest for tests registered with NEEDS_PKI), or nullopt.
std::optional<std::filesystem::path> test_pki_dir_from_environment();

}  // namespace onshi::pki
