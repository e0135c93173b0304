#include "onshi/pki/server_names.hpp"

#include <arpa/inet.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <optional>

#include "onshi/core/error.hpp"

namespace onshi::pki {
namespace {

// inet_pton then inet_ntop, so "::0001" and "::1" compare equal; nullopt when not an address.
std::optional<std::string> normalised_ip(const std::string& text) {
  std::array<unsigned char, 16> binary{};
  std::array<char, INET6_ADDRSTRLEN> shown{};
  for (const int family : {AF_INET, AF_INET6}) {
    if (inet_pton(family, text.c_str(), binary.data()) == 1 &&
        inet_ntop(family, binary.data(), shown.data(), static_cast<socklen_t>(shown.size())) != nullptr) {
      return std::string(shown.data());
    }
  }
  return std::nullopt;
}

// RFC 1123 host names (letters, digits, hyphens in labels of 1..63), an optional leading "*."
// wildcard label; at most 253 characters.
bool is_host_name(const std::string& name) {
  if (name.empty() || name.size() > 253) return false;
  std::string_view rest = name;
  if (rest.starts_with("*.")) rest.remove_prefix(2);
  std::size_t start = 0;
  while (start <= rest.size()) {
    const std::size_t dot = rest.find('.', start);
    const std::string_view label = rest.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (const char c : label) {
      if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-') return false;
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void add_once(std::vector<std::string>& to, const std::string& value) {
  if (std::find(to.begin(), to.end(), value) == to.end()) to.push_back(value);
}

struct GeneralNamesDeleter {
  void operator()(GENERAL_NAMES* p) const { GENERAL_NAMES_free(p); }
};

}  // namespace

ServerNames parse_server_names(std::string_view text, const std::string& where) {
  ServerNames names;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    std::string entry(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    start = comma == std::string_view::npos ? text.size() + 1 : comma + 1;
    const std::size_t colon = entry.find(':');
    const std::string type = colon == std::string::npos ? std::string() : lower(entry.substr(0, colon));
    const std::string value = colon == std::string::npos ? std::string() : entry.substr(colon + 1);
    if (type == "dns" && is_host_name(value)) {
      add_once(names.dns, lower(value));
    } else if (type == "ip" && normalised_ip(value)) {
      add_once(names.ip, *normalised_ip(value));
    } else if (type == "dns") {
      throw Error(ErrorCode::invalid_argument, "'" + entry + "': not a host name (letters, digits, '-' and '.')", where);
    } else if (type == "ip") {
      throw Error(ErrorCode::invalid_argument, "'" + entry + "': not an IPv4 or IPv6 address", where);
    } else {
      throw Error(ErrorCode::invalid_argument,
                  "'" + entry + "': expected DNS:<host name> or IP:<address>, comma-separated (DNS:onshi-mock.lan,IP:192.168.10.5)",
                  where);
    }
  }
  return names;
}

void add_server_names(Recipe& recipe, const ServerNames& extra) {
  for (const auto& dns : extra.dns) add_once(recipe.server_dns_names, dns);
  for (const auto& ip : extra.ip) add_once(recipe.server_ip_addresses, normalised_ip(ip).value_or(ip));
}

ServerNames certificate_server_names(const crypto::Certificate& certificate) {
  ServerNames names;
  if (!certificate) return names;
  const std::unique_ptr<GENERAL_NAMES, GeneralNamesDeleter> sans(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(certificate.get(), NID_subject_alt_name, nullptr, nullptr)));
  if (!sans) return names;
  for (int i = 0; i < sk_GENERAL_NAME_num(sans.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(sans.get(), i);
    if (name->type == GEN_DNS) {
      const ASN1_STRING* s = name->d.dNSName;
      names.dns.push_back(lower(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                            static_cast<std::size_t>(ASN1_STRING_length(s)))));
    } else if (name->type == GEN_IPADD) {
      const ASN1_OCTET_STRING* s = name->d.iPAddress;
      const int length = ASN1_STRING_length(s);
      std::array<char, INET6_ADDRSTRLEN> shown{};
      const int family = length == 4 ? AF_INET : length == 16 ? AF_INET6 : AF_UNSPEC;
      if (family != AF_UNSPEC &&
          inet_ntop(family, ASN1_STRING_get0_data(s), shown.data(), static_cast<socklen_t>(shown.size())) != nullptr) {
        names.ip.emplace_back(shown.data());
      }
    }
  }
  return names;
}

std::vector<std::string> missing_server_names(const crypto::Certificate& certificate, const Recipe& recipe) {
  const ServerNames have = certificate_server_names(certificate);
  std::vector<std::string> missing;
  for (const auto& dns : recipe.server_dns_names) {
    if (std::find(have.dns.begin(), have.dns.end(), lower(dns)) == have.dns.end()) missing.push_back("DNS:" + dns);
  }
  for (const auto& ip : recipe.server_ip_addresses) {
    const std::string wanted = normalised_ip(ip).value_or(ip);
    if (std::find(have.ip.begin(), have.ip.end(), wanted) == have.ip.end()) missing.push_back("IP:" + ip);
  }
  return missing;
}

}  // namespace onshi::pki
