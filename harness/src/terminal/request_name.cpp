#include "onshi/terminal/request_name.hpp"

#include <array>
#include <cctype>

namespace onshi::terminal {
namespace {

struct Prefix {
  std::string_view prefix;
  RequestKind kind;
};

constexpr std::array<Prefix, 7> kServed{{
    {"OQSsiquc01req_", RequestKind::qualification_search},
    {"YZKsiquc01req_", RequestKind::medication},
    {"TKKsiquc01req_", RequestKind::checkup},
    {"OQSmuquc01req_", RequestKind::bulk_submit},
    {"OQSmuquc02req_", RequestKind::bulk_fetch},
    {"OQSmuimm01req_", RequestKind::reference_submit},
    {"OQSmuimm02req_", RequestKind::reference_fetch},
}};

bool upper(char c) { return c >= 'A' && c <= 'Z'; }
bool lower(char c) { return c >= 'a' && c <= 'z'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

// <SYS><si|mu><fn3><nn>req_ : 3 upper, si|mu, 3 lower, 2 digits, "req_" — 14 characters.
bool in_grammar(std::string_view name) {
  if (name.size() < 14 + 4) return false;
  for (std::size_t i = 0; i < 3; ++i) {
    if (!upper(name[i])) return false;
  }
  const std::string_view scope = name.substr(3, 2);
  if (scope != "si" && scope != "mu") return false;
  for (std::size_t i = 5; i < 8; ++i) {
    if (!lower(name[i])) return false;
  }
  return digit(name[8]) && digit(name[9]) && name.substr(10, 4) == "req_";
}

bool has_xml_extension(std::string_view name) {
  if (name.size() < 4) return false;
  const std::string_view ext = name.substr(name.size() - 4);
  return ext[0] == '.' && std::tolower(static_cast<unsigned char>(ext[1])) == 'x' &&
         std::tolower(static_cast<unsigned char>(ext[2])) == 'm' && std::tolower(static_cast<unsigned char>(ext[3])) == 'l';
}

}  // namespace

std::string_view to_string(RequestKind kind) {
  switch (kind) {
    case RequestKind::qualification_search: return "qualification_search";
    case RequestKind::medication: return "medication";
    case RequestKind::checkup: return "checkup";
    case RequestKind::bulk_submit: return "bulk_submit";
    case RequestKind::bulk_fetch: return "bulk_fetch";
    case RequestKind::reference_submit: return "reference_submit";
    case RequestKind::reference_fetch: return "reference_fetch";
    case RequestKind::not_served: return "not_served";
  }
  return "unknown";
}

std::optional<RequestKind> classify_request_name(std::string_view file_name) {
  if (!has_xml_extension(file_name) || !in_grammar(file_name)) return std::nullopt;
  for (const Prefix& p : kServed) {
    if (file_name.substr(0, p.prefix.size()) == p.prefix) return p.kind;
  }
  return RequestKind::not_served;
}

std::string response_name(std::string_view file_name) {
  std::string name(file_name);
  name.replace(10, 3, "res");
  return name;
}

}  // namespace onshi::terminal
