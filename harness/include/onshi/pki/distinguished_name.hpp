#pragma once
// A certificate subject as data: ordered (attribute, value) pairs such as {"C", "JP"},
// {"CN", "onshi-hil terminal {code}"}, with {placeholder} substitution for templates.
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace onshi::pki {

struct NameAttribute {
  std::string type;   // OpenSSL short name: C, ST, L, O, OU, CN, serialNumber
  std::string value;  // UTF-8
  bool operator==(const NameAttribute&) const = default;
};

// Written into the certificate in this order (first = outermost RDN).
using DistinguishedName = std::vector<NameAttribute>;

// Replaces every "{name}" in each value with values.at(name). Throws
// Error(invalid_argument) naming the placeholder when `values` has no entry for it.
DistinguishedName expand_placeholders(const DistinguishedName& name,
                                      const std::map<std::string, std::string>& values);

// The names of the placeholders used in `text` ("{code}" -> "code"), in order of appearance.
std::vector<std::string> placeholders_in(std::string_view text);

// "C=JP, O=..., CN=..." for messages.
std::string to_string(const DistinguishedName& name);

}  // namespace onshi::pki
