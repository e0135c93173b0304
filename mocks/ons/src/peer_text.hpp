#pragma once
// Peer input echoed into an answer, the journal or a log (a URL, a JSON error that quotes the
// byte it choked on, a decoder's excerpt) is whatever bytes the peer sent. JSON and XML both
// need UTF-8, and nlohmann::json throws on anything else when serialising, so every echo goes
// through valid_utf8() first: well-formed UTF-8 is kept as it is, anything else becomes U+FFFD.
#include <string>
#include <string_view>

namespace onshi::mocks::ons::detail {

// `text` with each ill-formed UTF-8 sequence (stray continuation, truncated, overlong,
// surrogate, above U+10FFFF) replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

// For a one-line log: valid_utf8(), and control characters (CR, LF, ESC, …) written as \xNN
// so a peer cannot forge log lines or drive a terminal. Plain printable ASCII is returned
// as it is, without a second look or a copy (the request log's hot path).
void append_printable(std::string& out, std::string_view text);

}  // namespace onshi::mocks::ons::detail
