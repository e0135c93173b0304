#pragma once
// The terminal's ONS client as a rig's [ons] table configures it, whatever answers: the
// interface profile (paths, element names) and the wire format requests go in.
#include <string>

#include "onshi/ons/interface_profile.hpp"
#include "onshi/ons/wire_format.hpp"
#include "onshi/rig/rig_config.hpp"

namespace onshi::rig {

// The built-in 2024.1 profile unless the rig names a file; the file's own error plus the rig
// key that named it otherwise.
ons::InterfaceProfile interface_profile_for(const OnsClientChoice& choice);
// "xml" | "xml-sjis" | "json".
ons::WireFormat wire_format_named(const std::string& name, const std::string& where);

}  // namespace onshi::rig
