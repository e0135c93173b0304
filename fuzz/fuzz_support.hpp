#pragma once
// What every fuzz target shares: the input as text, a guard that lets the project's own
// refusals (onshi::Error) through and lets anything else (std::exception from a library, an
// uncaught throw) reach libFuzzer as a crash, and a scratch file for loaders that read files.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "onshi/core/bytes.hpp"
#include "onshi/core/error.hpp"

namespace onshi::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

inline ByteView as_bytes(const std::uint8_t* data, std::size_t size) { return {data, size}; }

// Runs `f`; an onshi::Error is a refusal with a name, which is what bad input must give.
template <class F>
void refusal_is_fine(F&& f) {
  try {
    f();
  } catch (const Error&) {
  }
}

// A file of this process (one per target and process, so parallel jobs do not share it)
// holding `text`, for loaders that take a path.
inline std::filesystem::path scratch_file(std::string_view text, const std::string& name) {
  static const std::filesystem::path dir = [] {
    const std::filesystem::path d = std::filesystem::temp_directory_path() / ("onshi-fuzz-" + std::to_string(getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  const std::filesystem::path file = dir / name;
  std::ofstream(file, std::ios::binary | std::ios::trunc).write(text.data(), static_cast<std::streamsize>(text.size()));
  return file;
}

// Breaks the input into frames of a 1-byte length each (the rest when it runs out), so one
// input can script several transfers of a peer.
class Frames {
 public:
  Frames(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool empty() const { return offset_ >= size_; }
  std::uint8_t byte() { return empty() ? 0 : data_[offset_++]; }
  Bytes next() {
    const std::size_t wanted = byte();
    const std::size_t n = std::min(wanted, size_ - std::min(offset_, size_));
    Bytes out(data_ + offset_, data_ + offset_ + n);
    offset_ += n;
    return out;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t offset_ = 0;
};

}  // namespace onshi::fuzz
