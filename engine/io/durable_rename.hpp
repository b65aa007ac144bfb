// Publishing a finished file under its final name so that a crash leaves
// the old file or the whole new one, never a part of it.
#pragma once

#include <filesystem>

namespace regsim::io {

/// Flushes `from` to disk (fsync), renames it to `to` and flushes the
/// folder: after a crash the file is at `to` whole or not at all. IoError
/// (exit 1) if a step fails.
void durable_rename(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace regsim::io
