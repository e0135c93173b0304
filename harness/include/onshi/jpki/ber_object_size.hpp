#pragma once
// How long a BER/DER object is, from its first bytes: what a host needs to read a whole
// certificate EF with READ BINARY without knowing the file size (docs/domain/card.md, reading and signing).
#include <cstddef>
#include <optional>

#include "onshi/core/bytes.hpp"

namespace onshi::jpki {

// The first bytes a reader fetches (as jpki/myna does): room for a 2-byte tag and a 4-byte length field.
inline constexpr std::size_t ber_header_probe_size = 7;

// Tag + length + contents size of the object starting at head[0], or nullopt when `head`
// ends before the length field does. Throws Error(malformed_input) for an indefinite length
// (0x80), a length field over 4 bytes, or an empty head.
std::optional<std::size_t> ber_object_size(ByteView head);

}  // namespace onshi::jpki
