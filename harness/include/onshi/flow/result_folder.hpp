#pragma once
// The terminal's result folders the receipt computer reads (docs/domain/file-interface.md): req/, res/,
// face/. Card receptions land unsolicited in face/ as
// OQSsiquc01res_face_<医療機関コード><reception id>_<yyyyMMddHHmmss>.xml, written atomically
// so a reader polling the folder never sees half a file, in the encoding the rig chose
// ([output] encoding) with CharacterCodeIdentifier true to the bytes.
#include <filesystem>
#include <string>

#include "onshi/core/clock.hpp"
#include "onshi/ons/wire_format.hpp"

namespace onshi::flow {

class ResultFolder {
 public:
  // Creates root/req, root/res and root/face when missing; Error(io) naming the path.
  explicit ResultFolder(std::filesystem::path root, ons::TextEncoding encoding = ons::TextEncoding::utf8);

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path face_dir() const { return root_ / "face"; }
  ons::TextEncoding encoding() const { return encoding_; }

  static std::string face_file_name(const std::string& facility_code, const std::string& reception_id,
                                     WallTime at);
  // `canonical_xml` as the ons encoders write it (UTF-8, CharacterCodeIdentifier 0), turned
  // into the folder's encoding (Shift_JIS: CP932 and CharacterCodeIdentifier 1). Throws
  // Error(invalid_argument) when a character has no Shift_JIS form, Error(io) naming the file.
  std::filesystem::path deliver_face_result(const std::string& canonical_xml, const std::string& facility_code,
                                            WallTime at);

 private:
  std::filesystem::path root_;
  ons::TextEncoding encoding_;
};

}  // namespace onshi::flow
