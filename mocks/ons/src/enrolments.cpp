#include "onshi/mocks/ons/enrolments.hpp"

#include <cctype>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "onshi/core/error.hpp"
#include "onshi/crypto/certificate.hpp"

namespace onshi::mocks::ons {

std::string Enrolments::normalise_serial(std::string_view serial) {
  std::string out;
  for (const char c : serial) {
    if (c == ':' || c == ' ') continue;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  const std::size_t first = out.find_first_not_of('0');
  return first == std::string::npos ? std::string("0") : out.substr(first);
}

void Enrolments::enrol(std::string_view serial, std::string patient_id) {
  by_serial_[normalise_serial(serial)] = std::move(patient_id);
}

std::optional<std::string> Enrolments::patient_for(std::string_view serial) const {
  const auto it = by_serial_.find(normalise_serial(serial));
  if (it == by_serial_.end()) return std::nullopt;
  return it->second;
}

Enrolments Enrolments::only_patients_in(const population::Population& population) const {
  std::set<std::string_view> ids;
  for (const auto& p : population.patients) ids.insert(p.id);
  Enrolments kept;
  for (const auto& [serial, id] : by_serial_) {
    if (ids.contains(id)) kept.by_serial_.emplace(serial, id);
  }
  return kept;
}

Enrolments load_enrolments(const std::filesystem::path& manifest_file) {
  std::ifstream in(manifest_file);
  if (!in) throw Error(ErrorCode::not_found, "cannot open test-PKI manifest", manifest_file.string());
  nlohmann::json manifest;
  try {
    manifest = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorCode::config, std::string("manifest is not JSON: ") + e.what(), manifest_file.string());
  }
  const auto patients = manifest.find("patients");
  if (patients == manifest.end() || !patients->is_array()) {
    throw Error(ErrorCode::config, "no \"patients\" array", manifest_file.string());
  }
  const auto cards = manifest.find("cards");
  if (cards != manifest.end() && !cards->is_array()) {
    throw Error(ErrorCode::config, "\"cards\" is not an array", manifest_file.string());
  }
  Enrolments enrolments;
  auto enrol_all = [&](const nlohmann::json& array, const char* name) {
    std::size_t index = 0;
    for (const auto& entry : array) {
      const std::string where = manifest_file.string() + ": " + name + "[" + std::to_string(index++) + "]";
      if (!entry.is_object() || !entry.contains("id") || !entry["id"].is_string()) {
        throw Error(ErrorCode::config, "entry without a string \"id\"", where);
      }
      std::string serial;
      if (entry.contains("serial") && entry["serial"].is_string()) {
        serial = entry["serial"].get<std::string>();
      } else if (entry.contains("cert") && entry["cert"].is_string()) {
        serial = crypto::Certificate::load_pem_file(manifest_file.parent_path() / entry["cert"].get<std::string>())
                     .serial_hex();
      } else {
        throw Error(ErrorCode::config, "entry has neither \"serial\" nor \"cert\"", where);
      }
      enrolments.enrol(serial, entry["id"].get<std::string>());
    }
  };
  enrol_all(*patients, "patients");
  if (cards != manifest.end()) enrol_all(*cards, "cards");
  return enrolments;
}

}  // namespace onshi::mocks::ons
