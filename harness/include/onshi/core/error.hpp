#pragma once
// The one error type thrown at layer boundaries: a code callers can branch on, a message a
// person can act on, and the context (file, frame, field, step) that says where.
#include <stdexcept>
#include <string>
#include <string_view>

namespace onshi {

enum class ErrorCode {
  malformed_input,   // bytes or text that do not parse (APDU, CCID frame, XML, TOML, hex)
  invalid_argument,  // a well-formed value that is not allowed here
  config,            // rig file, scenario or fixture problem
  not_found,         // a named thing (patient, file, device) does not exist
  io,                // file system or socket failure
  timeout,           // a bounded wait ran out
  protocol,          // the peer broke the protocol (unexpected CCID message, HTTP status)
  tls,               // handshake or certificate failure
  crypto,            // key, signature or certificate operation failed
  card,              // the card answered with an error status word
  device,            // reader or USB transport failure (card absent, device gone)
  state,             // operation not valid in the current state
};

std::string_view to_string(ErrorCode code);

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, std::string message, std::string context = {});

  ErrorCode code() const noexcept { return code_; }
  const std::string& message() const noexcept { return message_; }
  const std::string& context() const noexcept { return context_; }

 private:
  ErrorCode code_;
  std::string message_;
  std::string context_;
};

}  // namespace onshi
