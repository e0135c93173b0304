#include "onshi/population/patient_resolver.hpp"

#include <set>
#include <utility>

#include "onshi/core/error.hpp"

namespace onshi::population {

PatientResolver::PatientResolver(std::optional<std::filesystem::path> generated, const std::filesystem::path& shipped)
    : shipped_(shipped), generated_(std::move(generated)) {
  population_ = load_population(shipped_);
  first_generated_ = population_.patients.size();
  if (!generated_) return;
  Population extra = load_population(*generated_);
  std::set<std::string> ids;
  for (const Patient& p : population_.patients) ids.insert(p.id);
  for (Patient& p : extra.patients) {
    if (!ids.insert(p.id).second) {
      throw Error(ErrorCode::config,
                  "patient id '" + p.id + "' is in both " + shipped_.string() + " and " + generated_->string() +
                      " (generate the population with another --id-prefix)",
                  generated_->string());
    }
    population_.patients.push_back(std::move(p));
  }
  // A generated population carries the shipped facilities too: keep one of each code.
  std::set<std::string> codes;
  for (const Facility& f : population_.facilities) codes.insert(f.code);
  for (Facility& f : extra.facilities) {
    if (codes.insert(f.code).second) population_.facilities.push_back(std::move(f));
  }
}

std::string PatientResolver::sources() const {
  return generated_ ? shipped_.string() + " and " + generated_->string() : shipped_.string();
}

const Patient& PatientResolver::resolve(const std::string& id, const HasCard& has_card) const {
  const auto& patients = population_.patients;
  for (std::size_t k = 0; k < patients.size(); ++k) {
    if (patients[k].id != id) continue;
    if (has_card(id)) return patients[k];
    const bool generated = k >= first_generated_;
    const std::string file = generated ? generated_->string() : shipped_.string();
    throw Error(ErrorCode::config,
                "patient '" + id + "' of " + file + " has no card in the test PKI" +
                    (generated ? "; issue one with `onshi-hil pki --out PKI_DIR --population " + file +
                                     " --card-certs all` (or a count that reaches it)"
                               : "; the PKI is not the recipe's (remake it with `onshi-hil pki --out PKI_DIR --force`)"),
                file);
  }
  throw Error(ErrorCode::not_found,
              "no patient '" + id + "' in " + sources() +
                  (generated_ ? std::string() : " (a generated patient needs --population FILE)"),
              generated_ ? generated_->string() : shipped_.string());
}

std::vector<const Patient*> PatientResolver::generated_with_cards(std::size_t count, const HasCard& has_card) const {
  if (!generated_) {
    throw Error(ErrorCode::config, "distinct patients per reader need a generated population (--population FILE)");
  }
  std::vector<const Patient*> carded;
  for (std::size_t k = first_generated_; k < population_.patients.size() && carded.size() < count; ++k) {
    if (has_card(population_.patients[k].id)) carded.push_back(&population_.patients[k]);
  }
  if (carded.size() < count) {
    throw Error(ErrorCode::config,
                std::to_string(count) + " readers need " + std::to_string(count) + " patients with a card, but only " +
                    std::to_string(carded.size()) + " of " + generated_->string() +
                    " have one in the test PKI; issue more with `onshi-hil pki --out PKI_DIR --population " +
                    generated_->string() + " --card-certs N`",
                generated_->string());
  }
  return carded;
}

std::string expected_card_validity(const Patient& patient) {
  return patient.insurance.on_record ? patient.insurance.validity : "4";
}

}  // namespace onshi::population
