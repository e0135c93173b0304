#include "onshi/tls/http_message.hpp"

#include <algorithm>
#include <cctype>

namespace onshi::tls {

std::optional<std::string> find_header(const HttpHeaders& headers, std::string_view name) {
  for (const auto& h : headers) {
    if (h.name.size() == name.size() &&
        std::equal(h.name.begin(), h.name.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      return h.value;
    }
  }
  return std::nullopt;
}

}  // namespace onshi::tls
