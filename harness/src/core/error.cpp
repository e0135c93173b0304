#include "onshi/core/error.hpp"

namespace onshi {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::malformed_input: return "malformed input";
    case ErrorCode::invalid_argument: return "invalid argument";
    case ErrorCode::config: return "configuration";
    case ErrorCode::not_found: return "not found";
    case ErrorCode::io: return "i/o";
    case ErrorCode::timeout: return "timeout";
    case ErrorCode::protocol: return "protocol";
    case ErrorCode::tls: return "tls";
    case ErrorCode::crypto: return "crypto";
    case ErrorCode::card: return "card";
    case ErrorCode::device: return "device";
    case ErrorCode::state: return "state";
  }
  return "unknown";
}

namespace {
std::string compose(ErrorCode code, const std::string& message, const std::string& context) {
  std::string what(to_string(code));
  what += " error: ";
  if (!context.empty()) what += context + ": ";
  what += message;
  return what;
}
}  // namespace

Error::Error(ErrorCode code, std::string message, std::string context)
    : std::runtime_error(compose(code, message, context)),
      code_(code),
      message_(std::move(message)),
      context_(std::move(context)) {}

}  // namespace onshi
