// The layout walked here (HDF5 file format specification, "Global Heap"),
// with 8-byte lengths as regsim's files have: "GCOL", version 1, 3 reserved
// bytes, the collection size (8 bytes, header included), then objects of a
// 16-byte header (index 2, reference count 2, reserved 4, size 8) and data
// padded to 8 bytes. Index 0 is the free space, whose size includes its
// header; a tail shorter than a header is free space too.
#include "io/detail/global_heap.hpp"

#include <array>
#include <cstring>
#include <fstream>
#include <string_view>
#include <vector>

namespace regsim::io::detail {

namespace {

constexpr std::string_view signature{"GCOL\x01\0\0\0", 8};
constexpr std::uint64_t header_bytes = 16;  // collection header and object header alike

std::uint64_t little_endian(const unsigned char* p, int bytes) {
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// Offsets of every collection signature, read in 1 MiB blocks that overlap
// by a signature's length.
std::vector<std::uint64_t> find_collections(std::ifstream& in) {
  std::vector<std::uint64_t> out;
  std::vector<char> block(std::size_t{1} << 20);
  std::uint64_t base = 0;
  for (;;) {
    in.seekg(static_cast<std::streamoff>(base));
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    const std::string_view text(block.data(), got);
    for (std::size_t k = text.find(signature); k != std::string_view::npos;
         k = text.find(signature, k + 1)) {
      out.push_back(base + k);
    }
    if (got < block.size()) break;
    base += got - (signature.size() - 1);
  }
  in.clear();
  return out;
}

// The objects of one collection (index -> size) if they fill it exactly, as
// HDF5 walks them.
std::optional<std::map<std::uint64_t, std::uint64_t>> objects_of(
    const std::vector<unsigned char>& c) {
  std::map<std::uint64_t, std::uint64_t> seen;
  std::uint64_t p = header_bytes;
  const std::uint64_t end = c.size();
  while (p < end && end - p >= header_bytes) {
    const std::uint64_t index = little_endian(&c[p], 2);
    const std::uint64_t size = little_endian(&c[p + 8], 8);
    if (!seen.emplace(index, size).second) return std::nullopt;
    if (index == 0 && size < header_bytes) return std::nullopt;  // HDF5 would loop for ever
    if (index != 0 && size > end) return std::nullopt;
    const std::uint64_t need = index == 0 ? size : header_bytes + ((size + 7) & ~std::uint64_t{7});
    if (need > end - p) return std::nullopt;
    p += need;
  }
  seen.erase(0);
  return seen;
}

}  // namespace

GlobalHeaps read_global_heaps(const std::filesystem::path& file) {
  GlobalHeaps out;
  std::ifstream in(file, std::ios::binary);
  if (!in) return out;  // HDF5 reports an unreadable file itself
  in.seekg(0, std::ios::end);
  const auto file_size = static_cast<std::uint64_t>(in.tellg());
  for (const std::uint64_t at : find_collections(in)) {
    std::array<unsigned char, header_bytes> head{};
    in.seekg(static_cast<std::streamoff>(at));
    const std::uint64_t size =
        in.read(reinterpret_cast<char*>(head.data()), head.size()) ? little_endian(&head[8], 8) : 0;
    std::vector<unsigned char> collection;
    if (size >= header_bytes && size <= file_size - at) {
      collection.resize(size);
      in.seekg(static_cast<std::streamoff>(at));
      in.read(reinterpret_cast<char*>(collection.data()),
              static_cast<std::streamsize>(collection.size()));
    }
    auto objects = in ? objects_of(collection) : std::nullopt;
    if (!objects || collection.empty()) {
      out.damaged = at;
      return out;
    }
    out.objects.emplace(at, std::move(*objects));
  }
  return out;
}

std::optional<std::size_t> bad_reference(const GlobalHeaps& heaps, const unsigned char* references,
                                         std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char* r = references + i * heap_reference_bytes;
    const std::uint64_t length = little_endian(r, 4);
    if (length == 0) continue;
    const auto collection = heaps.objects.find(little_endian(r + 4, 8));
    if (collection == heaps.objects.end()) return i;
    const auto object = collection->second.find(little_endian(r + 12, 4));
    if (object == collection->second.end() || object->second != length) return i;
  }
  return std::nullopt;
}

}  // namespace regsim::io::detail
