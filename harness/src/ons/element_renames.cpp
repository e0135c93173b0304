#include "onshi/ons/element_renames.hpp"

#include <cctype>

namespace onshi::ons {

std::string rename_elements(std::string_view xml, const ElementRenames& renames) {
  if (renames.empty()) return std::string(xml);
  std::string out;
  out.reserve(xml.size() + 64);
  std::size_t i = 0;
  auto skip_to = [&](std::string_view terminator) {
    const std::size_t end = xml.find(terminator, i);
    const std::size_t stop = end == std::string_view::npos ? xml.size() : end + terminator.size();
    out.append(xml.substr(i, stop - i));
    i = stop;
  };
  while (i < xml.size()) {
    if (xml[i] != '<') {
      out += xml[i++];
      continue;
    }
    if (xml.compare(i, 4, "<!--") == 0) { skip_to("-->"); continue; }
    if (xml.compare(i, 9, "<![CDATA[") == 0) { skip_to("]]>"); continue; }
    if (xml.compare(i, 2, "<?") == 0 || xml.compare(i, 2, "<!") == 0) { skip_to(">"); continue; }
    std::size_t name_start = i + 1;
    if (name_start < xml.size() && xml[name_start] == '/') ++name_start;
    std::size_t name_end = name_start;
    while (name_end < xml.size() && (std::isalnum(static_cast<unsigned char>(xml[name_end])) != 0 ||
                                     xml[name_end] == '_' || xml[name_end] == '-' || xml[name_end] == '.' ||
                                     xml[name_end] == ':')) {
      ++name_end;
    }
    out.append(xml.substr(i, name_start - i));
    const std::string_view name = xml.substr(name_start, name_end - name_start);
    const auto it = renames.find(name);
    out.append(it == renames.end() ? name : std::string_view(it->second));
    i = name_end;
  }
  return out;
}

}  // namespace onshi::ons
