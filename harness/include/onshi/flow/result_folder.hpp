#pragma once
// The terminal's result folders the receipt computer reads (docs/domain/file-interface.md): req/, res/,
// face/. Card receptions land unsolicited in face/ as
// OQSsiquc01res_face_<医療機関コード><reception id>_<yyyyMMddHHmmss>.xml, written atomically
// so a reader polling the folder never sees half a file.
#include <atomic>
#include <filesystem>
#include <string>

#include "onshi/core/clock.hpp"

namespace onshi::flow {

class ResultFolder {
 public:
  // Creates root/req, root/res and root/face when missing; Error(io) naming the path.
  explicit ResultFolder(std::filesystem::path root);

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path face_dir() const { return root_ / "face"; }

  static std::string face_file_name(const std::string& facility_code, const std::string& reception_id,
                                     WallTime at);
  std::filesystem::path deliver_face_result(const std::string& xml, const std::string& facility_code, WallTime at);

 private:
  std::filesystem::path root_;
  std::atomic<unsigned> sequence_{0};
};

}  // namespace onshi::flow
