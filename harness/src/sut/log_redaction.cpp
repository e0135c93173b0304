#include "onshi/sut/log_redaction.hpp"

#include <cctype>

#include "onshi/core/redact.hpp"

namespace onshi::sut {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool starts_with_pin_word(std::string_view text, std::size_t at, std::size_t& length) {
  static constexpr std::string_view kAnshou = "暗証番号";
  if (text.compare(at, kAnshou.size(), kAnshou) == 0) {
    length = kAnshou.size();
    return true;
  }
  if (at + 3 <= text.size() && std::toupper(static_cast<unsigned char>(text[at])) == 'P' &&
      std::toupper(static_cast<unsigned char>(text[at + 1])) == 'I' &&
      std::toupper(static_cast<unsigned char>(text[at + 2])) == 'N' &&
      (at == 0 || !std::isalpha(static_cast<unsigned char>(text[at - 1])))) {
    length = 3;
    return true;
  }
  return false;
}

}  // namespace

std::string redact_log_line(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  std::size_t i = 0;
  while (i < line.size()) {
    std::size_t word = 0;
    if (starts_with_pin_word(line, i, word)) {
      out.append(line.substr(i, word));
      i += word;
      // "PIN: 1234", "pin=\"1234\"": keep the separators, mask the digits.
      while (i < line.size() && (line[i] == ':' || line[i] == '=' || line[i] == ' ' || line[i] == '\t' ||
                                 line[i] == '"' || line[i] == '\'')) {
        out.push_back(line[i++]);
      }
      const std::size_t digits = i;
      while (i < line.size() && is_digit(line[i])) ++i;
      if (i > digits) out.append(redact_pin(line.substr(digits, i - digits)));
      continue;
    }
    if (is_digit(line[i])) {
      const std::size_t start = i;
      while (i < line.size() && is_digit(line[i])) ++i;
      const std::string_view run = line.substr(start, i - start);
      out.append(run.size() == 12 ? redact_number(run) : std::string(run));
      continue;
    }
    out.push_back(line[i++]);
  }
  return out;
}

}  // namespace onshi::sut
