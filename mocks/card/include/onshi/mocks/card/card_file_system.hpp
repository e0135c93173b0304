#pragma once
// The virtual card's file model as data: applications by AID, each holding elementary files
// by FID. PIN try counters live in their PIN EF, as in a real card's EEPROM, so they survive
// power cycles. Later APs (kenhojo, kenkaku, the sign key) are more entries, not more code.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "onshi/core/bytes.hpp"
#include "onshi/crypto/private_key.hpp"
#include "onshi/jpki/file_ids.hpp"
#include "onshi/jpki/pin_format.hpp"

namespace onshi::mocks::card {

using jpki::FileId;

// A transparent EF read with READ BINARY.
struct BinaryEf {
  Bytes contents;
  // PIN EFs of the same application of which one must be verified before reading (the sign
  // certificate needs the sign password; the 券面AP record 照合番号A or B); empty = free to read.
  std::vector<FileId> read_requires_any_pin;
};

// Reference data for VERIFY. Never readable.
struct PinEf {
  std::string value;  // ASCII, compared with the VERIFY data field
  jpki::PinFormat format = jpki::auth_pin_format;
  unsigned max_tries = jpki::auth_pin_max_tries;
  unsigned tries_left = jpki::auth_pin_max_tries;
  bool changeable = true;  // CHANGE REFERENCE DATA allowed (照合番号 are printed on the card: not)

  bool blocked() const { return tries_left == 0; }
};

// An RSA private key used by COMPUTE DIGITAL SIGNATURE. Never readable.
struct KeyEf {
  crypto::PrivateKey key;
  FileId guarding_pin = jpki::ef::auth_pin;  // a PIN EF of the same application
  // 特定機関認証: a terminal the card authenticated may use this key without the PIN.
  bool usable_after_terminal_authentication = false;
};

using ElementaryFile = std::variant<BinaryEf, PinEf, KeyEf>;

struct Application {
  std::string name;  // for people reading logs and tests: "JPKI AP"
  Bytes aid;
  std::map<FileId, ElementaryFile> files;

  ElementaryFile* find(FileId fid);
  // Short EF identifier (READ BINARY P1 = 80|SFI, VERIFY P2 = 80|SFI). JPKI EFs use their
  // FID's low five bits (0017 -> 17), so the SFI of an EF 0001..001E is its FID.
  std::optional<FileId> fid_for_sfi(std::uint8_t sfi) const;
};

struct CardFileSystem {
  std::vector<Application> applications;

  // Index of the application whose AID equals `aid` exactly (no partial-AID selection).
  std::optional<std::size_t> find_application(ByteView aid) const;
  // Every PIN EF's counter back to its maximum.
  void reset_pin_counters();
};

}  // namespace onshi::mocks::card
