#pragma once
// The HTTP exchange as the harness sees it: ordered headers, a status and a whole body.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace onshi::tls {

struct HttpHeader {
  std::string name;
  std::string value;
};
using HttpHeaders = std::vector<HttpHeader>;

// Case-insensitive lookup of the first header of that name.
std::optional<std::string> find_header(const HttpHeaders& headers, std::string_view name);

struct HttpResponse {
  unsigned status = 0;
  std::string reason;
  HttpHeaders headers;
  std::string body;

  std::optional<std::string> header(std::string_view name) const { return find_header(headers, name); }
};

}  // namespace onshi::tls
