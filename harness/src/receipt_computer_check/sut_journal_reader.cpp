#include "sut_journal_reader.hpp"

#include <fstream>
#include <nlohmann/json.hpp>

namespace onshi::receipt_computer_check {

std::map<std::string, SutVerdict> read_sut_journal(const std::filesystem::path& journal) {
  std::map<std::string, SutVerdict> verdicts;
  std::ifstream in(journal);
  for (std::string line; std::getline(in, line);) {
    const nlohmann::json entry = nlohmann::json::parse(line, nullptr, false);
    if (!entry.is_object() || !entry.contains("file") || !entry["file"].is_string() || !entry.contains("accepted") ||
        !entry["accepted"].is_boolean()) {
      continue;
    }
    SutVerdict v;
    v.accepted = entry["accepted"].get<bool>();
    if (entry.contains("reason") && entry["reason"].is_string()) v.reason = entry["reason"].get<std::string>();
    verdicts[entry["file"].get<std::string>()] = v;
  }
  return verdicts;
}

}  // namespace onshi::receipt_computer_check
