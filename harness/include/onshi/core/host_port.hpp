#pragma once
// "HOST:PORT" as rig files, command lines and URLs spell an endpoint. IPv6 literals are
// bracketed ("[::1]:3240"), as in URLs; a bare "::1" is refused rather than guessed at.
#include <cstdint>
#include <string>
#include <string_view>

namespace onshi {

struct HostPort {
  std::string host;  // without brackets
  std::uint16_t port = 0;
  // Brackets an IPv6 host again: "[::1]:3240", "127.0.0.1:3240".
  std::string to_string() const;
};

// "HOST:PORT", "[V6]:PORT", or "HOST" / "[V6]" when `default_port` is not 0. Throws
// Error(invalid_argument) naming the text and what is wrong with it. An explicit port 0 is
// kept (a listener's "pick a free port").
HostPort parse_host_port(std::string_view text, std::uint16_t default_port = 0);

struct HttpsUrl {
  HostPort endpoint;
  std::string path;  // "/" when the URL has none
};

// "https://HOST:PORT[/path]" (an explicit port is required: no real ONS is assumed on 443).
HttpsUrl parse_https_url(std::string_view url);

}  // namespace onshi
