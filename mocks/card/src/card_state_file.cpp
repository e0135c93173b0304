#include "onshi/mocks/card/card_state_file.hpp"

#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "onshi/core/atomic_file.hpp"
#include "onshi/core/error.hpp"

namespace onshi::mocks::card {
namespace {

constexpr const char* schema = "onshi-hil/card-state/1";

std::string fid_hex(FileId fid) {
  const Bytes b{static_cast<std::uint8_t>(fid >> 8), static_cast<std::uint8_t>(fid)};
  return to_hex(b);
}

}  // namespace

void CardStateFile::load_into(CardFileSystem& files) const {
  std::ifstream in(file_, std::ios::binary);
  if (!in) {
    if (!std::filesystem::exists(file_)) return;  // a card never used with this file
    throw Error(ErrorCode::io, "cannot read the card state file", file_.string());
  }
  std::ostringstream text;
  text << in.rdbuf();
  const std::string where = file_.string();
  nlohmann::json state;
  try {
    state = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorCode::malformed_input, std::string("card state file is not JSON: ") + e.what(), where);
  }
  if (!state.is_object() || state.value("schema", nlohmann::json()) != schema || !state.contains("pins") ||
      !state["pins"].is_array()) {
    throw Error(ErrorCode::malformed_input, std::string("card state file is not ") + schema + " (schema, pins)",
                where);
  }
  std::size_t index = 0;
  for (const nlohmann::json& entry : state["pins"]) {
    const std::string at = where + ": pins[" + std::to_string(index++) + "]";
    if (!entry.is_object() || !entry.contains("aid") || !entry["aid"].is_string() || !entry.contains("fid") ||
        !entry["fid"].is_string() || !entry.contains("tries_left") || !entry["tries_left"].is_number_unsigned()) {
      throw Error(ErrorCode::malformed_input, "a PIN entry needs aid, fid (hex) and tries_left", at);
    }
    Bytes aid;
    Bytes fid;
    try {
      aid = from_hex(entry["aid"].get<std::string>());
      fid = from_hex(entry["fid"].get<std::string>());
    } catch (const Error&) {
      throw Error(ErrorCode::malformed_input, "aid and fid must be hex", at);
    }
    const std::optional<std::size_t> application = files.find_application(aid);
    PinEf* pin = nullptr;
    if (application && fid.size() == 2) {
      const auto id = static_cast<FileId>((fid[0] << 8) | fid[1]);
      pin = std::get_if<PinEf>(files.applications[*application].find(id));
    }
    if (pin == nullptr) {
      throw Error(ErrorCode::malformed_input,
                  "no PIN EF " + entry["fid"].get<std::string>() + " in application " + entry["aid"].get<std::string>() +
                      " on this card (a state file of another card?)",
                  at);
    }
    const auto tries_left = entry["tries_left"].get<std::uint64_t>();
    if (tries_left > pin->max_tries) {
      throw Error(ErrorCode::malformed_input,
                  "tries_left " + std::to_string(tries_left) + " above the PIN's " + std::to_string(pin->max_tries),
                  at);
    }
    pin->tries_left = static_cast<unsigned>(tries_left);
  }
}

void CardStateFile::save(const CardFileSystem& files) const {
  nlohmann::json pins = nlohmann::json::array();
  for (const Application& application : files.applications) {
    for (const auto& [fid, file] : application.files) {
      if (const auto* pin = std::get_if<PinEf>(&file)) {
        pins.push_back({{"application", application.name},
                        {"aid", to_hex(application.aid)},
                        {"fid", fid_hex(fid)},
                        {"tries_left", pin->tries_left},
                        {"max_tries", pin->max_tries}});
      }
    }
  }
  const nlohmann::json state = {{"schema", schema}, {"pins", std::move(pins)}};
  write_file_atomically(file_, state.dump(2) + "\n", 0600, FileSync::to_disk);
}

}  // namespace onshi::mocks::card
