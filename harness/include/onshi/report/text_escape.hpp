#pragma once
// Escaping text for the reports' formats, once for every reporter (the run's HTML and
// Markdown reports, the HTML timeline, the load reports).
#include <string>
#include <string_view>

namespace onshi::report {

// Text in HTML element content or a quoted attribute.
inline std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

// A Markdown table cell: '|' would end it and a line break would end the row.
inline std::string markdown_cell(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace onshi::report
