#pragma once
// The one place a patient id from a command line (`run --patient`, `emulate reader|card
// --patient`, the readers of `load`) becomes a patient: the shipped fixture population, plus
// the patients of a generated population (`onshi-hil population generate`) when one is named.
// A patient is usable only with a card in the test PKI (the recipe's patients always have one,
// a generated patient once `onshi-hil pki --population FILE --card-certs N|all` issued it); the
// PKI is a layer above, so the caller says which ids have a card.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "onshi/config/data_paths.hpp"
#include "onshi/population/population.hpp"

namespace onshi::population {

// True when the test PKI holds a card (user-authentication key and certificate) for the id.
using HasCard = std::function<bool(const std::string& patient_id)>;

class PatientResolver {
 public:
  // Loads `shipped` and, when given, `generated` (a file or directory load_population reads).
  // Throws what load_population throws, and Error(config) naming both sources when an id is in
  // both (a card belongs to one person).
  explicit PatientResolver(std::optional<std::filesystem::path> generated = std::nullopt,
                           const std::filesystem::path& shipped = config::fixtures_dir() / "population");

  // Every patient and facility of both sources: what the mock ONS answers for.
  const Population& population() const { return population_; }
  const std::optional<std::filesystem::path>& generated_source() const { return generated_; }

  // The patient `id`, with a card. Throws Error(not_found) naming the id and the population
  // source(s) searched, Error(config) naming the id, its population file and how to issue the
  // card when it has none.
  const Patient& resolve(const std::string& id, const HasCard& has_card) const;

  // The first `count` patients of the generated population that have a card, in file order:
  // one distinct card per reader of a load run. Throws Error(config) when there is no
  // generated population or it has fewer carded patients, naming the file and how many.
  std::vector<const Patient*> generated_with_cards(std::size_t count, const HasCard& has_card) const;

 private:
  std::string sources() const;  // "fixtures/population and pop.toml", for messages

  std::filesystem::path shipped_;
  std::optional<std::filesystem::path> generated_;
  Population population_;
  std::size_t first_generated_ = 0;  // population_.patients[first_generated_..] came from generated_
};

// The QualificationValidity code (OQSCD006) the ONS answers on the card path for the patient:
// the record's, or "4" 該当資格なし when ONS holds no qualification for them.
std::string expected_card_validity(const Patient& patient);

}  // namespace onshi::population
