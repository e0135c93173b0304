#pragma once
// Whole-file writes a reader never sees half done: the content goes to a temporary file in
// the same directory and is renamed over the target. Records, result files, journals and
// keys are all written this way, so a killed process leaves either the old file or the new
// one. Surviving a power cut as well needs the data on disk first (FileSync::to_disk), which
// costs milliseconds: evidence asks for it, a result file in a load run does not.
#include <filesystem>
#include <string_view>

#include <sys/types.h>

namespace onshi {

enum class FileSync { none, to_disk };

// Creates missing parent directories. `mode` applies before any byte is written (0600 for
// keys). Throws Error(io) naming the path and the system's reason.
void write_file_atomically(const std::filesystem::path& file, std::string_view content, mode_t mode = 0644,
                           FileSync sync = FileSync::none);

}  // namespace onshi
