#include "onshi/jpki/file_ids.hpp"

#include "onshi/core/bytes.hpp"

namespace onshi::jpki {

std::string ef_name(FileId fid) {
  Bytes raw;
  store_be16(raw, fid);
  return "EF " + to_hex(raw);
}

}  // namespace onshi::jpki
