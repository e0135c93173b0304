#pragma once
// The names the mock ONS's server certificate answers to (subjectAltName), as `pki --san`
// takes them: "DNS:name,IP:addr,...", so a vendor's terminal on another machine can reach the
// mock by the host name or address it really uses (docs/receipt-computer.md, "Reaching the
// mock from the vendor's machine").
#include <string>
#include <string_view>
#include <vector>

#include "onshi/crypto/certificate.hpp"
#include "onshi/pki/recipe.hpp"

namespace onshi::pki {

struct ServerNames {
  std::vector<std::string> dns;  // host names, as written (lower-cased)
  std::vector<std::string> ip;   // IPv4 or IPv6 text, normalised (inet_ntop)
};

// Parses "DNS:onshi-mock.lan,IP:192.168.10.5,IP:::1". Throws Error(invalid_argument), with
// `where` as context, naming the entry that is not DNS:<host name> or IP:<IPv4|IPv6>.
ServerNames parse_server_names(std::string_view text, const std::string& where = "--san");

// Adds `extra` to the recipe's server names, each once.
void add_server_names(Recipe& recipe, const ServerNames& extra);

// The subjectAltName DNS and IP entries `certificate` carries (IPs normalised as above).
ServerNames certificate_server_names(const crypto::Certificate& certificate);

// The recipe's server names `certificate` does not carry, as "DNS:x" / "IP:y"; empty when it
// carries them all.
std::vector<std::string> missing_server_names(const crypto::Certificate& certificate, const Recipe& recipe);

}  // namespace onshi::pki
