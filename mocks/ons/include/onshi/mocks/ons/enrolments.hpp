#pragma once
// 利用登録: which user-authentication certificate (by serial) belongs to which synthetic
// patient. ONS never sees the My Number; it keys on this certificate (docs/domain/reception-flow.md).
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "onshi/population/population.hpp"

namespace onshi::mocks::ons {

class Enrolments {
 public:
  // `serial` in any hex spelling ("0a:1B", "0A1B", "A1B"); stored normalised.
  void enrol(std::string_view serial, std::string patient_id);
  std::optional<std::string> patient_for(std::string_view serial) const;
  const std::map<std::string, std::string>& entries() const { return by_serial_; }
  std::size_t size() const { return by_serial_.size(); }

  // Those whose patient is in `population`. The others' cards stay valid but enrolled with no
  // one the mock serves, so they are answered 4 (該当資格なし) like any unenrolled card; this
  // is what lets one test PKI serve the shipped and a generated population alike.
  Enrolments only_patients_in(const population::Population& population) const;

  // Upper-case hex without separators or leading zeros: Certificate::serial_hex()'s spelling.
  static std::string normalise_serial(std::string_view serial);

 private:
  std::map<std::string, std::string> by_serial_;
};

// Reads the "patients" entries of a test-PKI manifest.json ({"id", "cert", "serial"}) and its
// optional "cards" (a generated population's, onshi/pki/population_cards.hpp); a missing
// serial is read from the certificate file. Throws Error(config) naming the entry.
Enrolments load_enrolments(const std::filesystem::path& manifest_file);

}  // namespace onshi::mocks::ons
