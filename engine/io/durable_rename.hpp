// Giving a finished file its final name so that, after a crash, it is
// there whole or not at all: for outputs written as OUT.partial.
#pragma once

#include <filesystem>

namespace regsim::io {

/// Flushes `from` to disk (fsync), renames it to `to`, then flushes the
/// folder's entry. Throws IoError (exit code 1) naming the file.
void durable_rename(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace regsim::io
