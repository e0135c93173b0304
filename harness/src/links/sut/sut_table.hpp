#pragma once
// Reads a [sut] table into SutSettings for either backend (docs/sut.md, "Rig keys").
#include "onshi/links/link_table.hpp"
#include "onshi/links/sut/sut_settings.hpp"

namespace onshi::links {

// `launched`: command is required and external must not be true; otherwise external must be
// true and the launch keys are not allowed (the backend's key list rejects them).
SutSettings parse_sut_table(const LinkTable& table, bool launched);

}  // namespace onshi::links
