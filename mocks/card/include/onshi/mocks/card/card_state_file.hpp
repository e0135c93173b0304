#pragma once
// The part of a virtual card's EEPROM that a real card keeps between sessions and a test may
// need to keep between processes: each PIN's try counter. With a state file, a card killed
// between two wrong PINs (a SIGKILLed `run`, `emulate reader` or `emulate card`) starts again
// with the tries it had left, as the plastic card would, instead of a fresh counter.
//
// Format (JSON, `onshi-hil/card-state/1`): one entry per PIN EF, by application AID and FID,
// with tries_left and max_tries; never a PIN value. Written whole through
// write_file_atomically with FileSync::to_disk before the card answers the VERIFY that changed
// it, so a kill at any moment leaves the old counter or the new one, never a torn file.
#include <filesystem>

#include "onshi/mocks/card/card_file_system.hpp"

namespace onshi::mocks::card {

class CardStateFile {
 public:
  explicit CardStateFile(std::filesystem::path file) : file_(std::move(file)) {}

  const std::filesystem::path& path() const { return file_; }

  // Sets each PIN counter the file holds. A missing file leaves the card as made. A file that
  // does not parse, or names a PIN the card lacks, or holds a counter above its maximum, is
  // Error(malformed_input) naming the file and the entry: a damaged counter is never replaced
  // by a fresh one.
  void load_into(CardFileSystem& files) const;
  // Throws Error(io) naming the file when it cannot be written.
  void save(const CardFileSystem& files) const;

 private:
  std::filesystem::path file_;
};

}  // namespace onshi::mocks::card
