#include "onshi/pki/distinguished_name.hpp"

#include "onshi/core/error.hpp"

namespace onshi::pki {

std::vector<std::string> placeholders_in(std::string_view text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while ((pos = text.find('{', pos)) != std::string_view::npos) {
    const std::size_t end = text.find('}', pos);
    if (end == std::string_view::npos) break;
    out.emplace_back(text.substr(pos + 1, end - pos - 1));
    pos = end + 1;
  }
  return out;
}

DistinguishedName expand_placeholders(const DistinguishedName& name,
                                      const std::map<std::string, std::string>& values) {
  DistinguishedName out;
  out.reserve(name.size());
  for (const auto& attribute : name) {
    std::string value;
    const std::string& text = attribute.value;
    std::size_t pos = 0;
    while (pos < text.size()) {
      const std::size_t open = text.find('{', pos);
      const std::size_t close = open == std::string::npos ? std::string::npos : text.find('}', open);
      if (close == std::string::npos) {
        value.append(text, pos, std::string::npos);
        break;
      }
      value.append(text, pos, open - pos);
      const std::string key = text.substr(open + 1, close - open - 1);
      const auto found = values.find(key);
      if (found == values.end()) {
        throw Error(ErrorCode::invalid_argument, "unknown placeholder {" + key + "}",
                    "subject attribute " + attribute.type);
      }
      value += found->second;
      pos = close + 1;
    }
    out.push_back({attribute.type, std::move(value)});
  }
  return out;
}

std::string to_string(const DistinguishedName& name) {
  std::string out;
  for (const auto& attribute : name) {
    if (!out.empty()) out += ", ";
    out += attribute.type + "=" + attribute.value;
  }
  return out;
}

}  // namespace onshi::pki
