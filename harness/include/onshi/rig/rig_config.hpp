#pragma once
// A rig file says which links of the reception chain are real and which are emulated
// (docs/architecture.md, "Links" and "Rig files"). Each link's table is parsed by the backend
// its `kind` names, looked up in that link's registry (onshi/links): the rig knows no
// backend. Parsed strictly: an unknown key, an unknown kind (the error lists the known ones)
// or a bad value is an error naming the file, line and key. Relative paths are taken from
// the rig file's folder, everywhere.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "onshi/links/link_settings.hpp"
#include "onshi/links/link_table.hpp"

namespace onshi::rig {

// The client side of the ONS link, whatever answers: which interface profile and wire format
// the terminal speaks (an embedded mock serves the same profile).
struct OnsClientChoice {
  links::RigPath interface_profile;  // empty: the built-in 2024.1
  std::string wire = "xml";          // xml (UTF-8) | xml-sjis (Shift_JIS) | json
  std::int64_t timeout_ms = 10'000;  // bounds each wait on the ONS: connect, handshake, the answer
};

struct RigConfig {
  std::filesystem::path file;
  std::string name;
  std::string description;
  std::string scenario = "pin-ok";
  std::filesystem::path scenario_catalogue;  // resolved; empty: the shipped catalogue
  std::string facility_code;
  links::LinkChoice card;    // [card]   default kind "virtual"
  links::LinkChoice reader;  // [reader] default kind "emulated"
  links::LinkChoice ons;     // [ons]    default kind "embedded-mock"
  links::LinkChoice output;  // [output] default kind "folder"
  links::LinkChoice sut;     // [sut]    no default: kind empty when the rig names no system under test
  OnsClientChoice ons_client;
  std::filesystem::path pki_dir;  // resolved; empty: $ONSHI_TEST_PKI or the user cache
  // [pki] crl: a CRL of the terminal certificate's CA (PEM or DER) the doctor checks, and
  // crl_issuer: the CA certificate that must have signed it (docs/doctor.md); resolved, empty: none.
  std::filesystem::path crl_file;
  std::filesystem::path crl_issuer_file;
};

RigConfig load_rig(const std::filesystem::path& file);
// Parses text; `name` stands in for the file (relative paths are taken from its folder).
RigConfig parse_rig(std::string_view text, const std::string& name);
// rigs/emulated.toml (config::rigs_dir()).
std::filesystem::path default_rig_file();

}  // namespace onshi::rig
