#include "onshi/mocks/card/card_file_system.hpp"

#include <algorithm>

namespace onshi::mocks::card {
namespace {

constexpr std::uint8_t max_sfi = 30;  // SFI 31 is reserved by ISO 7816-4

}  // namespace

ElementaryFile* Application::find(FileId fid) {
  const auto it = files.find(fid);
  return it == files.end() ? nullptr : &it->second;
}

std::optional<FileId> Application::fid_for_sfi(std::uint8_t sfi) const {
  if (sfi == 0 || sfi > max_sfi || !files.contains(sfi)) return std::nullopt;
  return FileId{sfi};
}

std::optional<std::size_t> CardFileSystem::find_application(ByteView aid) const {
  for (std::size_t i = 0; i < applications.size(); ++i) {
    if (std::ranges::equal(applications[i].aid, aid)) return i;
  }
  return std::nullopt;
}

void CardFileSystem::reset_pin_counters() {
  for (Application& application : applications) {
    for (auto& [fid, file] : application.files) {
      if (auto* pin = std::get_if<PinEf>(&file)) pin->tries_left = pin->max_tries;
    }
  }
}

}  // namespace onshi::mocks::card
