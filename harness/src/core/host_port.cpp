#include "onshi/core/host_port.hpp"

#include "onshi/core/error.hpp"

namespace onshi {
namespace {

std::uint16_t parse_port(std::string_view port_text, std::string_view whole) {
  if (port_text.empty() || port_text.size() > 5) {
    throw Error(ErrorCode::invalid_argument, "bad port '" + std::string(port_text) + "' in '" + std::string(whole) + "'");
  }
  unsigned long port = 0;
  for (char c : port_text) {
    if (c < '0' || c > '9') {
      throw Error(ErrorCode::invalid_argument, "bad port '" + std::string(port_text) + "' in '" + std::string(whole) + "'");
    }
    port = port * 10 + static_cast<unsigned long>(c - '0');
  }
  if (port > 65535) {  // 0 stays: a listener's "any free port"
    throw Error(ErrorCode::invalid_argument, "port out of range (0..65535) in '" + std::string(whole) + "'");
  }
  return static_cast<std::uint16_t>(port);
}

}  // namespace

std::string HostPort::to_string() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

HostPort parse_host_port(std::string_view text, std::uint16_t default_port) {
  HostPort hp;
  std::string_view port_text;
  bool has_port = false;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos) {
      throw Error(ErrorCode::invalid_argument, "unclosed '[' in '" + std::string(text) + "' (want [V6]:PORT)");
    }
    hp.host = std::string(text.substr(1, close - 1));
    const std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        throw Error(ErrorCode::invalid_argument, "expected ':PORT' after ']' in '" + std::string(text) + "'");
      }
      has_port = true;
      port_text = rest.substr(1);
    }
  } else {
    const auto colon = text.find(':');
    if (colon != std::string_view::npos && text.find(':', colon + 1) != std::string_view::npos) {
      throw Error(ErrorCode::invalid_argument,
                  "an IPv6 address needs brackets: '[" + std::string(text) + "]' or '[ADDRESS]:PORT'");
    }
    hp.host = std::string(text.substr(0, colon));
    if (colon != std::string_view::npos) {
      has_port = true;
      port_text = text.substr(colon + 1);
    }
  }
  if (hp.host.empty()) throw Error(ErrorCode::invalid_argument, "missing host in '" + std::string(text) + "' (want HOST:PORT)");
  if (has_port) {
    hp.port = parse_port(port_text, text);
  } else if (default_port != 0) {
    hp.port = default_port;
  } else {
    throw Error(ErrorCode::invalid_argument, "missing port in '" + std::string(text) + "' (want HOST:PORT)");
  }
  return hp;
}

HttpsUrl parse_https_url(std::string_view url) {
  constexpr std::string_view scheme = "https://";
  if (url.substr(0, scheme.size()) != scheme) {
    throw Error(ErrorCode::invalid_argument, "URL must start with https://: '" + std::string(url) + "'");
  }
  const std::string_view rest = url.substr(scheme.size());
  const auto slash = rest.find('/');
  HttpsUrl parsed;
  try {
    parsed.endpoint = parse_host_port(rest.substr(0, slash));
  } catch (const Error& e) {
    throw Error(ErrorCode::invalid_argument, "in URL '" + std::string(url) + "': " + e.message());
  }
  parsed.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  return parsed;
}

}  // namespace onshi
