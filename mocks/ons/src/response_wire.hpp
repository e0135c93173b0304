#pragma once
// The bytes of one HTTP/1.1 response of the mock ONS, written into a single string that goes
// out as one TLS record. Beast parses the requests; for the answers its general serializer
// (buffer sequences gathered per write) cost more per request than the XML work itself, and
// the mock only ever sends a status line, a few headers and a Content-Length body.
#include <cstdio>
#include <ctime>
#include <string>
#include <string_view>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/beast/http/status.hpp>
#pragma GCC diagnostic pop

#include "onshi/tls/http_message.hpp"

namespace onshi::mocks::ons::detail {

// A header value must not end the header early: CR and LF become spaces.
inline void append_header_text(std::string& out, std::string_view text) {
  for (const char c : text) out += (c == '\r' || c == '\n') ? ' ' : c;
}

// The current time as an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"): an origin server with
// a clock sends Date (RFC 9110 6.6.1), and a terminal's clock skew is judged by it
// (docs/doctor.md). Written by hand: strftime's day and month names follow the locale.
inline void append_http_date(std::string& out) {
  static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  // Rendered once a second per thread, as nginx caches its Date: not a cost per answer.
  thread_local std::time_t rendered_at = -1;
  thread_local char text[64];
  const std::time_t now = std::time(nullptr);
  if (now != rendered_at) {
    std::tm utc{};
    gmtime_r(&now, &utc);
    std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[utc.tm_wday % 7], utc.tm_mday,
                  months[utc.tm_mon % 12], utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
    rendered_at = now;
  }
  out += text;
}

// Replaces `out` (its capacity is reused from one response to the next).
inline void write_response(std::string& out, unsigned status, unsigned version, bool keep_alive, std::string_view server,
                           std::string_view content_type, const tls::HttpHeaders& headers, std::string_view body) {
  out.clear();
  out.reserve(160 + body.size());
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(status);
  out += ' ';
  const auto reason = boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status));
  out.append(reason.data(), reason.size());
  out += "\r\nServer: ";
  append_header_text(out, server);
  out += "\r\nDate: ";
  append_http_date(out);
  out += "\r\nContent-Type: ";
  append_header_text(out, content_type);
  for (const auto& h : headers) {
    out += "\r\n";
    append_header_text(out, h.name);
    out += ": ";
    append_header_text(out, h.value);
  }
  out += "\r\nContent-Length: ";
  out += std::to_string(body.size());
  // HTTP/1.1 keeps the connection unless told; HTTP/1.0 closes it unless told.
  if (version == 10 && keep_alive) out += "\r\nConnection: keep-alive";
  if (version != 10 && !keep_alive) out += "\r\nConnection: close";
  out += "\r\n\r\n";
  out += body;
}

}  // namespace onshi::mocks::ons::detail
