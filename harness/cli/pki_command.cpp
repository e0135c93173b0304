// onshi-hil pki: write the generated test PKI to a directory (for curl, openssl, vendors).
#include <algorithm>
#include <fstream>
#include <chrono>
#include <iomanip>
#include <iostream>
#include <map>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "onshi/config/cli11.hpp"
#include "commands.hpp"
#include "onshi/population/population.hpp"
#include "onshi/core/error.hpp"
#include "onshi/pki/pki_paths.hpp"
#include "onshi/pki/made_with.hpp"
#include "onshi/pki/pc_credential.hpp"
#include "onshi/pki/pkcs12_export.hpp"
#include "onshi/pki/recipe.hpp"
#include "onshi/pki/server_names.hpp"
#include "onshi/pki/test_pki.hpp"

namespace onshi::cli {
namespace {

struct PkiOptions {
  std::string out;
  bool reuse = false;  // the default now; kept so existing scripts still parse
  bool force = false;
  std::string population;          // generated population whose patients get cards; "" = none
  std::string card_certs = "100";  // how many of them (the first N), or "all"
  std::vector<std::string> san;     // extra server names, "DNS:x,IP:y" each
  bool p12 = false;                 // also write terminals/<code>/terminal.p12
  std::vector<std::string> pcs;     // terminal PCs with their own certificate, per facility (pc_credential.hpp)
  std::string p12_password_file;    // its password's file ("" = kDefaultPkcs12Password)
};

// The first line of `file`, the PKCS#12 password; Error naming the file when unreadable or empty.
std::string password_from(const std::string& file) {
  std::ifstream in(file);
  std::string line;
  if (!in || !std::getline(in, line)) throw Error(ErrorCode::io, "cannot read the password file", file);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) throw Error(ErrorCode::invalid_argument, "the password file's first line is empty", file);
  return line;
}

// The ids of the first `card_certs` patients of `population`.
std::vector<std::string> card_patient_ids(const population::Population& population, const std::string& card_certs) {
  std::size_t count = population.patients.size();
  if (card_certs != "all") {
    try {
      std::size_t used = 0;
      count = std::min<std::size_t>(count, std::stoul(card_certs, &used));
      if (used != card_certs.size() || card_certs.front() == '-') throw std::invalid_argument("trailing");
    } catch (const std::logic_error&) {
      throw Error(ErrorCode::invalid_argument, "must be a number or 'all', not '" + card_certs + "'", "--card-certs");
    }
  }
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < count; ++i) ids.push_back(population.patients[i].id);
  return ids;
}

}  // namespace

Command add_pki_command(CLI::App& app) {
  auto options = std::make_shared<PkiOptions>();
  CLI::App* pki = app.add_subcommand("pki", "Generate the test PKI (ONS server CA and certificate, terminal CA and\n"
                                            "one client certificate per facility, JPKI-like CA and per-patient\n"
                                            "user-authentication keys) from fixtures/pki/recipe.toml.");
  pki->add_option("--out", options->out, "directory to write")->required();
  CLI::Option* reuse_option = pki->add_flag(
      "--reuse", options->reuse,
      "the default, kept for scripts: a complete, valid PKI in --out is kept (with its population\n"
      "cards), a missing one is made, a stale one (expired, other population) is made anew, a\n"
      "damaged one is refused (exit 2, naming the file and the reason)");
  pki->add_flag("--force", options->force,
                "make a new PKI in --out whatever it holds (a damaged one too); the old directory is\n"
                "renamed to --out.old-<yyyymmddThhmmssZ>, never deleted")
      ->excludes(reuse_option);
  CLI::Option* population_option =
      pki->add_option("--population", options->population,
                      "also issue My Number Card credentials (auth + sign, by the JPKI-like CA, listed in\n"
                      "manifest.json \"cards\") for the patients of this population (`onshi-hil population\n"
                      "generate`), so the mock ONS answers their card-path inquiries");
  pki->add_option("--card-certs", options->card_certs,
                  "how many of --population's patients get cards: the first N (every qualification\n"
                  "state occurs among the first 10), or 'all'. Each card costs two RSA-2048 keys, about\n"
                  "0.45 s of CPU (measured on the project's 2-core EPYC machine), spread over all cores:\n"
                  "the default 100 take ~25 s there, 10,000 ~40 min. With --reuse, patients that\n"
                  "already have a card cost nothing.")
      ->capture_default_str()
      ->needs(population_option);
  pki->add_option("--san", options->san,
                  "more names for the ONS server certificate, beside the recipe's localhost/127.0.0.1/::1:\n"
                  "DNS:name,IP:addr (comma-separated, repeatable), the names a vendor's machine reaches\n"
                  "the mock by (`mock ons --bind ADDR`). An existing PKI keeps its CAs: only the server\n"
                  "certificate is issued again when it lacks a name");
  CLI::Option* p12_option =
      pki->add_flag("--p12", options->p12,
                    "also write each terminal credential as PKCS#12 (key, certificate, terminal CA):\n"
                    "terminals/<code>/terminal.p12, for Windows' certificate import or a vendor terminal");
  pki->add_option("--p12-password-file", options->p12_password_file,
                  std::string("the PKCS#12 password is this file's first line (default: ") +
                      pki::kDefaultPkcs12Password + ")")
      ->needs(p12_option);
  pki->add_option("--pcs", options->pcs,
                  "also issue one client certificate per named terminal PC of each facility (a-z, 0-9, '-'):\n"
                  "terminals/<code>/pcs/<pc>/, e.g. --pcs ehr,viewer for the EHR and a viewing terminal")
      ->delimiter(',');
  return [options]() {
    pki::Recipe recipe = pki::load_recipe();
    for (const auto& san : options->san) pki::add_server_names(recipe, pki::parse_server_names(san, "--san"));
    // Recorded in the PKI (made-with.json), so a PKI made again later is made the same.
    pki::MadeWith asked;
    for (const auto& san : options->san) {
      const pki::ServerNames names = pki::parse_server_names(san, "--san");
      for (const auto& dns : names.dns) asked.server_names.push_back("DNS:" + dns);
      for (const auto& ip : names.ip) asked.server_names.push_back("IP:" + ip);
    }
    asked.pkcs12 = options->p12;
    if (!options->p12_password_file.empty()) {
      password_from(options->p12_password_file);  // a bad file is refused before anything is made
      asked.pkcs12_password_file = options->p12_password_file;
    }
    const population::Population population = population::load_population();
    std::vector<std::string> card_ids;
    if (!options->population.empty()) {
      card_ids = card_patient_ids(population::load_population(options->population), options->card_certs);
    }
    const auto started = std::chrono::steady_clock::now();
    pki::TestPki written;
    std::optional<std::filesystem::path> kept_aside;
    if (options->force) {
      pki::RegeneratedPki regenerated =
          pki::regenerate_test_pki(options->out, recipe, population, card_ids, SystemClock::instance(), asked);
      written = std::move(regenerated.pki);
      kept_aside = std::move(regenerated.kept_aside);
    } else {
      written = pki::ensure_test_pki(options->out, recipe, population, card_ids, SystemClock::instance(), asked);
    }
    const pki::PkiPaths paths(options->out);
    std::map<std::string, std::vector<pki::PcCredential>> pcs;  // by facility code
    for (const auto& facility : population.facilities) {
      for (const std::string& pc : options->pcs) {
        pcs[facility.code].push_back(pki::ensure_pc_credential(options->out, written, facility.code, pc));
      }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (kept_aside) std::cout << "the previous PKI in " << options->out << " is kept in " << kept_aside->string() << "\n";
    std::cout << "test PKI in " << options->out << "\n"
              << "  ONS server CA      " << paths.ons_ca_cert().string() << "\n"
              << "  ONS server         " << paths.ons_server_chain().string() << " (" << [&] {
                   std::string names;
                   const pki::ServerNames sans = pki::certificate_server_names(written.ons_server.certificate);
                   for (const auto& dns : sans.dns) names += (names.empty() ? "" : ",") + ("DNS:" + dns);
                   for (const auto& ip : sans.ip) names += (names.empty() ? "" : ",") + ("IP:" + ip);
                   return names;
                 }() << ")\n"
              << "  terminal CA        " << paths.terminal_ca_cert().string() << "\n"
              << "  terminal CA's CRL  " << paths.terminal_ca_crl().string() << "\n";
    for (const auto& facility : population.facilities) {
      std::cout << "  terminal " << facility.code << " " << paths.terminal_cert(facility.code).string() << "\n";
      if (options->p12) {
        std::cout << "           PKCS#12 " << (paths.terminal_cert(facility.code).parent_path() / "terminal.p12").string()
                  << "\n";
      }
      for (const pki::PcCredential& pc : pcs[facility.code]) {
        std::cout << "           PC " << pc.pc << " " << pc.cert_file.string() << "\n";
      }
    }
    std::cout << "  JPKI-like CA       " << paths.jpki_ca_cert().string() << "\n"
              << "  patients           " << population.patients.size() << " user-authentication keys under "
              << (paths.root() / "patients").string() << "\n";
    if (!options->population.empty()) {
      std::cout << "  population cards   " << card_ids.size() << " of " << options->population << "'s patients ("
                << written.population_cards.size() << " cards in all) under " << (paths.root() / "patients").string()
                << "\n";
    }
    std::cout << "Test keys only: never use them outside a test environment. (" << std::fixed << std::setprecision(1)
              << seconds << " s)\n";
    return exit_ok;
  };
}

}  // namespace onshi::cli
