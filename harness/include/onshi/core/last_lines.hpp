#pragma once
// The last lines of a captured output, for error messages that quote what a child process
// said last (a trailing newline does not count as an empty last line).
#include <cstddef>
#include <string>

namespace onshi {

inline std::string last_lines(const std::string& text, std::size_t count) {
  std::size_t at = text.size();
  if (at > 0 && text[at - 1] == '\n') --at;
  for (std::size_t n = 0; at > 0; --at) {
    if (text[at - 1] == '\n' && ++n == count) break;
  }
  return text.substr(at);
}

}  // namespace onshi
