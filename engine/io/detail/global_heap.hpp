// Checks of the HDF5 global heap, made before HDF5 reads variable-length
// data (text variables, dimension lists) from it. HDF5 trusts the sizes
// there, and the global heap has no checksum: a damaged object size or a
// damaged reference to an object makes HDF5 1.10 copy past a buffer
// (H5HG_read), and a free-space object of size 0 makes it loop for ever.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>

namespace regsim::io::detail {

/// The global heap collections of a file ("GCOL", version 1).
struct GlobalHeaps {
  /// File offset of the first collection whose objects do not add up to its
  /// size, as HDF5 walks them; nullopt if all do.
  std::optional<std::uint64_t> damaged;
  /// Collection offset -> object index -> object size in bytes.
  std::map<std::uint64_t, std::map<std::uint64_t, std::uint64_t>> objects;
};

/// Reads every collection of `file`, in blocks. A collection whose signature
/// is damaged is not found, and left to HDF5, which refuses it cleanly.
GlobalHeaps read_global_heaps(const std::filesystem::path& file);

/// Bytes of one stored reference to a variable-length string: its length
/// (4), the collection's offset (8) and the object's index (4).
inline constexpr std::size_t heap_reference_bytes = 16;

/// The first of `n` stored references (`n` x heap_reference_bytes bytes)
/// that does not name an object of exactly its length; nullopt if all do.
/// Empty strings (length 0) are not looked up by HDF5 and pass.
std::optional<std::size_t> bad_reference(const GlobalHeaps& heaps, const unsigned char* references,
                                         std::size_t n);

}  // namespace regsim::io::detail
