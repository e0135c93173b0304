#include "terminal_answers.hpp"

#include <nlohmann/json.hpp>

namespace onshi::receipt_computer_check {

std::vector<TerminalAnswer> terminal_answers_after(const std::filesystem::path& journal, std::streamoff offset) {
  std::vector<TerminalAnswer> answers;
  std::ifstream in(journal);
  in.seekg(offset);
  for (std::string line; std::getline(in, line);) {
    const nlohmann::json e = nlohmann::json::parse(line, nullptr, false);
    if (!e.is_object()) continue;
    const std::string event = e.value("event", "");
    if (event != "answered" && event != "error") continue;
    answers.push_back({event, e.value("request", ""), e.value("answer", ""), e.value("error_code", ""),
                       e.value("reason", ""), e.value("duration_ms", -1.0)});
  }
  return answers;
}

std::streamoff size_of(const std::filesystem::path& file) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  return ec ? 0 : static_cast<std::streamoff>(size);
}

}  // namespace onshi::receipt_computer_check
