#include "onshi/flow/result_folder.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>

#include "onshi/core/atomic_file.hpp"
#include "onshi/core/error.hpp"

namespace onshi::flow {

ResultFolder::ResultFolder(std::filesystem::path root, ons::TextEncoding encoding)
    : root_(std::move(root)), encoding_(encoding) {
  for (const char* sub : {"req", "res", "face"}) {
    std::error_code ec;
    std::filesystem::create_directories(root_ / sub, ec);
    if (ec) throw Error(ErrorCode::io, "cannot create result folder: " + ec.message(), (root_ / sub).string());
  }
}

std::string ResultFolder::face_file_name(const std::string& facility_code, const std::string& reception_id,
                                         WallTime at) {
  return "OQSsiquc01res_face_" + facility_code + reception_id + "_" + format_jst_datetime(at) + ".xml";
}

std::filesystem::path ResultFolder::deliver_face_result(const std::string& canonical_xml,
                                                        const std::string& facility_code, WallTime at) {
  // A receipt computer that checks the declaration against the bytes refuses a UTF-8 file
  // whose CharacterCodeIdentifier says Shift_JIS (docs/domain/file-interface.md, "Encodings").
  const std::string xml = ons::from_canonical(canonical_xml, ons::WireFormat{ons::WireSyntax::xml, encoding_});
  // The reception id keeps names unique when several receptions finish within one second, in
  // every folder of the process: a load run's readers all deliver into one shared face/.
  static std::atomic<unsigned> sequence{0};
  char id[32];
  std::snprintf(id, sizeof id, "%06d%04u", static_cast<int>(::getpid() % 1000000), ++sequence % 10000);
  const std::filesystem::path final_path = face_dir() / face_file_name(facility_code, id, at);
  // Written (and flushed) outside face/ and renamed in, so a receipt computer polling face/
  // never reads a partial file nor sees a temporary.
  const std::filesystem::path staged = root_ / ("." + final_path.filename().string());
  write_file_atomically(staged, xml);
  std::error_code ec;
  std::filesystem::rename(staged, final_path, ec);
  if (ec) {
    const std::string why = ec.message();
    std::filesystem::remove(staged, ec);
    throw Error(ErrorCode::io, "cannot move result file into face/: " + why, final_path.string());
  }
  return final_path;
}

}  // namespace onshi::flow
