#pragma once
// Whole-file writes a reader never sees half done: the content goes to a temporary file in
// the same directory, is flushed to disk, and is renamed over the target. Records, result
// files, journals and keys are all written this way, so a killed run leaves either the old
// file or the new one.
#include <filesystem>
#include <string_view>

#include <sys/types.h>

namespace onshi {

// Creates missing parent directories. `mode` applies before any byte is written (0600 for
// keys). Throws Error(io) naming the path and the system's reason.
void write_file_atomically(const std::filesystem::path& file, std::string_view content, mode_t mode = 0644);

}  // namespace onshi
