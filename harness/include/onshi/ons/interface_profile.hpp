#pragma once
// A versioned interface profile: what changes between specification versions, as data
// (fixtures/ons/profile-*.toml), so a newer specification is mostly a new file:
//   [paths]    every endpoint the mock serves and the client calls;
//   [elements] canonical element name = this version's wire name (written and read);
//   [aliases]  other wire name = canonical name (accepted when reading);
//   [login]    the JSON field names of the login credentials.
// The codecs work on canonical names (the 2024 ones, e.g. PharmacistsInfoConsFlg); the wire
// layer (wire_format.hpp) renames at the edge (element_renames.hpp).
#include <filesystem>
#include <string>

#include "onshi/ons/element_renames.hpp"
#include "onshi/ons/wire_format.hpp"  // kept for the files that take WireFormat from here

namespace onshi::ons {

struct InterfacePaths {
  std::string card;
  std::string search;
  std::string medication;
  std::string checkup;
  std::string bulk_submit;  // OQSmuquc01req
  std::string bulk_fetch;   // OQSmuquc02req
  std::string login;
  // Bulk 照会番号 registration (OQSmuimm01req / 02req); optional in a profile file, these
  // defaults when left out.
  std::string reference_submit = "/onshi/v1/bulk/reference-number";
  std::string reference_fetch = "/onshi/v1/bulk/reference-number/result";

  bool operator==(const InterfacePaths&) const = default;
};

struct InterfaceProfile {
  std::string name;
  std::string version;
  InterfacePaths paths;
  ElementRenames outbound;  // canonical → wire
  ElementRenames inbound;   // wire (and aliases) → canonical
  std::string login_id_field = "loginId";
  std::string password_field = "password";

  bool operator==(const InterfaceProfile&) const = default;
};

// The built-in profile: the same values as fixtures/ons/profile-2024.toml.
const InterfaceProfile& default_interface_profile();

// Throws Error(config|not_found) naming the file, line and key.
InterfaceProfile load_interface_profile(const std::filesystem::path& file);

}  // namespace onshi::ons
