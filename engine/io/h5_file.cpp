// HDF5 files in the netCDF-4 layout. The conventions, as netCDF-C 4.9 and
// h5netcdf write and read them:
//  - a dimension is a dimension scale (H5DSset_scale) with an int32
//    `_Netcdf4Dimid` unique in the file. With coordinate values the scale is
//    the coordinate variable, named after the dimension; without, it is a
//    float dataset whose NAME is "This is a netCDF dimension but not a netCDF
//    variable.%10d" (the length) and whose data is never written;
//  - a variable attaches one scale per axis (DIMENSION_LIST and
//    REFERENCE_LIST, written by H5DSattach_scale);
//  - groups and objects track the creation order of links and attributes:
//    netCDF-C lists them in that order and needs it to open a file for writing;
//  - format bounds (v1.10, v1.10): the newest format HDF5 1.10 (netCDF-C
//    4.9 on Debian 12) reads, in which every piece of metadata (superblock,
//    object headers, chunk indexes) carries a checksum;
//  - every chunked dataset carries HDF5's Fletcher-32 filter, last in the
//    pipeline, so a damaged chunk fails to read instead of reading wrong;
//  - text attributes are fixed-length (in the checksummed object header),
//    text variables variable-length (netCDF-C 4.9 misreads fixed-length
//    ones) with a `_regsim_text_digest` attribute, since the global heap
//    that holds their bytes has no checksum (and see detail/global_heap.hpp);
//  - `_NCProperties` on the root group names the writer.
#include "io/h5_file.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <system_error>

#include <fmt/format.h>

#include "des/random_stream.hpp"
#include "io/detail/global_heap.hpp"
#include "io/detail/h5.hpp"
#include "scenario/diagnostics.hpp"

#ifndef REGSIM_IO_PROJECT_VERSION
#define REGSIM_IO_PROJECT_VERSION "unknown"
#endif

namespace regsim::io {

namespace fs = std::filesystem;
using detail::Handle;

namespace {

constexpr std::string_view not_a_variable = "This is a netCDF dimension but not a netCDF variable.";

// Attributes that belong to the dimension-scale and netCDF machinery rather
// than to the data; attribute_names() leaves them out, as h5netcdf does.
constexpr std::string_view hidden_attributes[] = {
    "CLASS",          "NAME",          "DIMENSION_LIST",
    "REFERENCE_LIST", "_Netcdf4Dimid", "_Netcdf4Coordinates",
    "_nc3_strict",    "_NCProperties", "_regsim_text_digest"};
constexpr const char* text_digest = "_regsim_text_digest";

constexpr hsize_t max_chunk_bytes = hsize_t{1} << 20;
constexpr hsize_t min_chunk_bytes = hsize_t{1} << 16;
constexpr hsize_t coordinate_chunk_bytes = hsize_t{1} << 13;  // growing coordinates: uncompressed

std::string_view type_name(ElementType t) {
  switch (t) {
    case ElementType::uint8:
      return "uint8";
    case ElementType::int32:
      return "int32";
    case ElementType::int64:
      return "int64";
    case ElementType::uint64:
      return "uint64";
    case ElementType::float32:
      return "float32";
    case ElementType::float64:
      return "float64";
    case ElementType::string:
      return "string";
    case ElementType::other:
      break;
  }
  return "other";
}

// Memory and file types of the numeric element types. Files are little-endian.
hid_t native_type(ElementType t) {
  switch (t) {
    case ElementType::uint8:
      return H5T_NATIVE_UINT8;
    case ElementType::int32:
      return H5T_NATIVE_INT32;
    case ElementType::int64:
      return H5T_NATIVE_INT64;
    case ElementType::uint64:
      return H5T_NATIVE_UINT64;
    case ElementType::float32:
      return H5T_NATIVE_FLOAT;
    case ElementType::float64:
      return H5T_NATIVE_DOUBLE;
    case ElementType::string:
    case ElementType::other:
      break;
  }
  return H5I_INVALID_HID;
}

hid_t stored_type(ElementType t) {
  switch (t) {
    case ElementType::uint8:
      return H5T_STD_U8LE;
    case ElementType::int32:
      return H5T_STD_I32LE;
    case ElementType::int64:
      return H5T_STD_I64LE;
    case ElementType::uint64:
      return H5T_STD_U64LE;
    case ElementType::float32:
      return H5T_IEEE_F32LE;
    case ElementType::float64:
      return H5T_IEEE_F64LE;
    case ElementType::string:
    case ElementType::other:
      break;
  }
  return H5I_INVALID_HID;
}

std::size_t element_bytes(ElementType t) {
  switch (t) {
    case ElementType::uint8:
      return 1;
    case ElementType::int32:
    case ElementType::float32:
      return 4;
    case ElementType::int64:
    case ElementType::uint64:
    case ElementType::float64:
      return 8;
    case ElementType::string:
    case ElementType::other:
      break;
  }
  return sizeof(char*);
}

// Variable-length UTF-8 strings: what h5py and xarray write for str, and
// netCDF-4's `string` type.
Handle vlen_string_type() {
  Handle t(H5Tcopy(H5T_C_S1));
  H5Tset_size(t.get(), H5T_VARIABLE);
  H5Tset_cset(t.get(), H5T_CSET_UTF8);
  return t;
}

// Fixed-length UTF-8 strings of `bytes` bytes, NUL-padded: text attributes.
Handle fixed_string_type(std::size_t bytes) {
  Handle t(H5Tcopy(H5T_C_S1));
  H5Tset_size(t.get(), bytes);
  H5Tset_strpad(t.get(), H5T_STR_NULLTERM);
  H5Tset_cset(t.get(), H5T_CSET_UTF8);
  return t;
}

// A digest of text values (each one's length, then its bytes).
std::uint64_t digest_of(const std::vector<std::string>& values) {
  std::uint64_t h = des::hash_name("text");
  for (const std::string& v : values) {
    h = des::mix64(h ^ v.size());
    for (const char ch : v) h = des::mix64(h ^ static_cast<unsigned char>(ch));
  }
  return h;
}

ElementType classify(hid_t type) {
  const std::size_t size = H5Tget_size(type);
  switch (H5Tget_class(type)) {
    case H5T_INTEGER: {
      const bool is_signed = H5Tget_sign(type) == H5T_SGN_2;
      if (size == 1 && !is_signed) return ElementType::uint8;
      if (size == 4 && is_signed) return ElementType::int32;
      if (size == 8) return is_signed ? ElementType::int64 : ElementType::uint64;
      return ElementType::other;
    }
    case H5T_FLOAT:
      if (size == 4) return ElementType::float32;
      if (size == 8) return ElementType::float64;
      return ElementType::other;
    case H5T_STRING:
      return ElementType::string;
    default:
      return ElementType::other;
  }
}

bool is_number_class(hid_t type) {
  const H5T_class_t c = H5Tget_class(type);
  return c == H5T_INTEGER || c == H5T_FLOAT;
}

// "/a//b/" -> "/a/b"; "a" -> "/a". Rejects "." and ".." components.
std::string normalize(std::string_view path) {
  std::string out;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    std::size_t j = i;
    while (j < path.size() && path[j] != '/') ++j;
    if (j > i) {
      const std::string_view part = path.substr(i, j - i);
      if (part == "." || part == "..") {
        throw std::invalid_argument(fmt::format("HDF5 path '{}': no '.' or '..' allowed", path));
      }
      out += '/';
      out += part;
    }
    i = j;
  }
  return out.empty() ? "/" : out;
}

std::string parent_of(const std::string& path) {
  const std::size_t k = path.rfind('/');
  return k == 0 ? "/" : path.substr(0, k);
}

std::string name_of(const std::string& path) { return path.substr(path.rfind('/') + 1); }

std::string child(const std::string& group, std::string_view name) {
  return group == "/" ? fmt::format("/{}", name) : fmt::format("{}/{}", group, name);
}

hsize_t product(const std::vector<hsize_t>& v) {
  hsize_t p = 1;
  for (const hsize_t x : v) p *= x;
  return p;
}

std::vector<hsize_t> to_hsize(const Extent& e) { return {e.begin(), e.end()}; }

std::string format_stack(const std::vector<detail::ErrorRecord>& records) {
  std::string out;
  for (const auto& r : records) {
    if (!out.empty()) out += '\n';
    out += fmt::format("{}(): {}", r.function, r.description);
    if (!r.major.empty() || !r.minor.empty()) out += fmt::format(" ({}: {})", r.major, r.minor);
  }
  return out;
}

// The innermost record is the most specific ("truncated file: eof = ...").
std::string innermost(const std::vector<detail::ErrorRecord>& records) {
  return records.empty() ? std::string("no detail from HDF5") : records.back().description;
}

// "message\nHDF5 error stack:\n  record\n  record"
std::string with_stack(const std::string& message, const std::string& stack) {
  if (stack.empty()) return message;
  std::string out = message + "\nHDF5 error stack:";
  std::size_t begin = 0;
  while (begin <= stack.size()) {
    std::size_t end = stack.find('\n', begin);
    if (end == std::string::npos) end = stack.size();
    out += "\n  ";
    out.append(stack, begin, end - begin);
    begin = end + 1;
  }
  return out;
}

// File access: close every object with the file, and lock the file where the
// file system can (Lustre and NFS often cannot; HDF5 would then refuse).
Handle file_access() {
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS));
  if (!fapl.valid() || H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG) < 0) return Handle();
#if (H5_VERS_MAJOR == 1 && H5_VERS_MINOR == 10 && H5_VERS_RELEASE >= 7) || H5_VERSION_GE(1, 12, 1)
  if (H5Pset_file_locking(fapl.get(), true, true) < 0) return Handle();
#endif
  return fapl;
}

[[noreturn]] void throw_input_error(const std::string& file, std::string message,
                                    std::string expected = {}) {
  throw scenario::InputError(
      {scenario::file_problem(file, std::move(message), std::move(expected))});
}

// Current and maximum extent of a dataspace.
struct Space {
  std::vector<hsize_t> dims;
  std::vector<hsize_t> maxdims;
  std::size_t rank() const { return dims.size(); }
};

herr_t collect_attribute_name(hid_t, const char* name, const H5A_info_t*, void* out) {
  static_cast<std::vector<std::string>*>(out)->emplace_back(name);
  return 0;
}

std::string object_name(hid_t object) {
  const ssize_t n = H5Iget_name(object, nullptr, 0);
  if (n <= 0) return {};
  std::string name(static_cast<std::size_t>(n), '\0');
  H5Iget_name(object, name.data(), name.size() + 1);
  return name;
}

herr_t scale_path(hid_t, unsigned, hid_t scale, void* out) {
  *static_cast<std::string*>(out) = object_name(scale);
  return static_cast<std::string*>(out)->empty() ? -1 : 1;  // netCDF attaches one scale
}

// A dimension scale without coordinate values (netCDF: not a variable)?
bool plain_dimension(hid_t dataset) {
  if (H5DSis_scale(dataset) <= 0) return false;
  char name[128] = {};
  if (H5DSget_scale_name(dataset, name, sizeof name) < 0) return false;
  return std::string_view(name).substr(0, not_a_variable.size()) == not_a_variable;
}

// Extends a scale of a dimension without coordinate values to `length`, as
// netCDF-C does when a variable along it grows.
herr_t grow_plain_scale(hid_t, unsigned, hid_t scale, void* length) {
  if (!plain_dimension(scale)) return 0;
  Handle space(H5Dget_space(scale));
  hsize_t current = 0;
  if (!space.valid() || H5Sget_simple_extent_dims(space.get(), &current, nullptr) != 1) return -1;
  const hsize_t wanted = *static_cast<hsize_t*>(length);
  if (current < wanted && H5Dset_extent(scale, &wanted) < 0) return -1;
  return 0;
}

template <class T>
void* resized(void* out, std::size_t n) {
  auto& v = *static_cast<std::vector<T>*>(out);
  v.resize(n);
  return v.data();
}

void* resized(ElementType t, void* out, std::size_t n) {
  switch (t) {
    case ElementType::uint8:
      return resized<std::uint8_t>(out, n);
    case ElementType::int32:
      return resized<std::int32_t>(out, n);
    case ElementType::int64:
      return resized<std::int64_t>(out, n);
    case ElementType::uint64:
      return resized<std::uint64_t>(out, n);
    case ElementType::float32:
      return resized<float>(out, n);
    case ElementType::float64:
      return resized<double>(out, n);
    case ElementType::string:
      return resized<std::string>(out, n);
    case ElementType::other:
      break;
  }
  return nullptr;
}

std::vector<const char*> c_strings(const void* data, std::size_t n) {
  const auto* s = static_cast<const std::string*>(data);
  std::vector<const char*> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = s[i].c_str();
  return out;
}

// Default chunk shape (see Layout::chunk).
std::vector<hsize_t> default_chunk(const std::vector<hsize_t>& size, const std::vector<bool>& grows,
                                   std::size_t bytes_each) {
  std::vector<hsize_t> c(size.size());
  for (std::size_t i = 0; i < c.size(); ++i) c[i] = grows[i] ? 1 : std::max<hsize_t>(1, size[i]);
  const auto bytes = [&] { return product(c) * bytes_each; };
  while (bytes() > max_chunk_bytes) {
    hsize_t& largest = *std::max_element(c.begin(), c.end());
    if (largest == 1) break;
    largest = (largest + 1) / 2;
  }
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (grows[i]) {
      c[i] = std::max<hsize_t>(1, min_chunk_bytes / bytes());
      break;
    }
  }
  return c;
}

}  // namespace

// ---------------------------------------------------------------------------
// IoError

IoError::IoError(const std::string& message, std::string object_path, std::string hdf5_stack)
    : SystemFailure(with_stack(message, hdf5_stack)),
      object_path_(std::move(object_path)),
      hdf5_stack_(std::move(hdf5_stack)) {}

// ---------------------------------------------------------------------------
// Impl: the open file and the operations the public methods share.

struct H5File::Impl {
  fs::path file_path;
  std::string file_name;  // for messages
  Handle file;
  bool writable = false;
  std::int32_t next_dimid = -1;  // -1: not known yet (a reopened file); found on first use
  mutable std::optional<detail::GlobalHeaps> heaps;  // read on first need

  // Errors ------------------------------------------------------------------

  // A failure of HDF5 while writing, or of the caller's expectations.
  [[noreturn]] void fail(const std::string& object, const std::string& message) const {
    auto stack = format_stack(detail::take_error_stack());
    throw IoError(fmt::format("{}: {}", file_name, message), object, std::move(stack));
  }

  // A failure of HDF5 while reading: a damaged file. User input when the file
  // was opened read-only.
  [[noreturn]] void fail_read(const std::string& object, const std::string& message) const {
    const auto records = detail::take_error_stack();
    if (!writable) {
      throw_input_error(
          file_name, fmt::format("{}: the file may be damaged ({})", message, innermost(records)));
    }
    throw IoError(fmt::format("{}: {}", file_name, message), object, format_stack(records));
  }

  // Data that HDF5 read without complaint but that fails one of our own
  // checks: a damaged file, as fail_read().
  [[noreturn]] void damaged(const std::string& object, const std::string& what) const {
    if (!writable) throw_input_error(file_name, fmt::format("damaged file: {}", what));
    throw IoError(fmt::format("{}: damaged file: {}", file_name, what), object, "");
  }

  // Before HDF5 reads variable-length data of a file opened read-only (the
  // check reads the file from disk, which a writer may not have flushed).
  void check_global_heaps() const {
    if (writable || heaps) return;
    heaps = detail::read_global_heaps(file_path);
    if (heaps->damaged) {
      damaged("/", fmt::format("the global heap collection at byte {} does not add up",
                               *heaps->damaged));
    }
  }

  // Before HDF5 follows the stored references of a text variable to the
  // global heap. Text variables are contiguous: Fletcher-32 cannot cover
  // variable-length data, so their references are read here from the file.
  void check_heap_references(hid_t dataset, const std::string& path) const {
    if (writable) return;
    check_global_heaps();
    const haddr_t at = H5Dget_offset(dataset);
    Handle space(H5Dget_space(dataset));
    const hssize_t n = space.valid() ? H5Sget_simple_extent_npoints(space.get()) : -1;
    if (at == HADDR_UNDEF || n <= 0) {
      detail::take_error_stack();
      return;  // chunked or never written
    }
    const auto count = static_cast<std::size_t>(n);
    std::vector<unsigned char> references(count * detail::heap_reference_bytes);
    std::ifstream in(file_path, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(at));
    if (H5Dget_storage_size(dataset) != references.size() ||
        !in.read(reinterpret_cast<char*>(references.data()),
                 static_cast<std::streamsize>(references.size()))) {
      damaged(path, fmt::format("the storage of '{}' does not fit its {} values", path, count));
    }
    if (const auto bad = detail::bad_reference(*heaps, references.data(), count)) {
      damaged(path, fmt::format("value {} of '{}' points outside the global heap", *bad, path));
    }
  }

  [[noreturn]] void misuse(const std::string& message) const {
    throw std::invalid_argument(fmt::format("{}: {}", file_name, message));
  }

  void check(herr_t status, const std::string& object, std::string_view what) const {
    if (status < 0) fail(object, fmt::format("cannot {} '{}'", what, object));
  }

  // HDF5 keeps written data in its chunk cache or sieve buffer until the
  // dataset closes: a close that fails is a write that failed.
  void close_written(Handle& dataset, const std::string& path) const {
    if (!dataset.close()) fail(path, fmt::format("cannot write '{}'", path));
  }

  void require_writable(const std::string& object, std::string_view what) const {
    if (!writable) {
      throw IoError(
          fmt::format("{}: cannot {} '{}': the file is open read-only", file_name, what, object),
          object, "");
    }
  }

  // Structure ---------------------------------------------------------------

  // Any dataset is a `variable` here; H5File::kind() tells apart dimensions
  // without coordinate values.
  ObjectKind kind(const std::string& path) const {
    if (path == "/") return ObjectKind::group;
    // Walk down, since H5Lexists fails on a missing intermediate group.
    std::size_t k = 0;
    while (k != std::string::npos) {
      k = path.find('/', k + 1);
      const std::string prefix = path.substr(0, k);
      const htri_t e = H5Lexists(file.get(), prefix.c_str(), H5P_DEFAULT);
      if (e < 0) fail_read(prefix, fmt::format("cannot look up '{}'", prefix));
      if (e == 0) return ObjectKind::missing;
      if (k != std::string::npos) {
        Handle o(H5Oopen(file.get(), prefix.c_str(), H5P_DEFAULT));
        if (!o.valid()) fail_read(prefix, fmt::format("cannot open '{}'", prefix));
        if (H5Iget_type(o.get()) != H5I_GROUP) return ObjectKind::missing;
      }
    }
    // A dangling soft or external link is missing; a hard link that does
    // not open is damaged.
    H5L_info_t link{};
    if (H5Lget_info(file.get(), path.c_str(), &link, H5P_DEFAULT) < 0) {
      fail_read(path, fmt::format("cannot look up '{}'", path));
    }
    Handle o(H5Oopen(file.get(), path.c_str(), H5P_DEFAULT));
    if (!o.valid() && link.type != H5L_TYPE_HARD) {
      detail::take_error_stack();
      return ObjectKind::missing;
    }
    if (!o.valid()) fail_read(path, fmt::format("cannot open '{}'", path));
    switch (H5Iget_type(o.get())) {
      case H5I_GROUP:
        return ObjectKind::group;
      case H5I_DATASET:
        return ObjectKind::variable;
      default:
        return ObjectKind::other;
    }
  }

  Handle open_object(const std::string& path, std::string_view what) const {
    if (kind(path) == ObjectKind::missing) {
      fail(path, fmt::format("cannot {} '{}': no such object", what, path));
    }
    Handle o(H5Oopen(file.get(), path.c_str(), H5P_DEFAULT));
    if (!o.valid()) fail_read(path, fmt::format("cannot open '{}'", path));
    return o;
  }

  Handle open_dataset(const std::string& path, std::string_view what) const {
    switch (kind(path)) {
      case ObjectKind::missing:
        fail(path, fmt::format("cannot {} '{}': no such variable", what, path));
      case ObjectKind::variable:
        break;
      default:
        fail(path, fmt::format("cannot {} '{}': not a variable", what, path));
    }
    Handle d(H5Dopen2(file.get(), path.c_str(), H5P_DEFAULT));
    if (!d.valid()) fail_read(path, fmt::format("cannot open '{}'", path));
    return d;
  }

  Space space(hid_t dataset, const std::string& path) const {
    Handle s(H5Dget_space(dataset));
    const int rank = s.valid() ? H5Sget_simple_extent_ndims(s.get()) : -1;
    if (rank < 0) fail_read(path, fmt::format("cannot read the shape of '{}'", path));
    Space out{std::vector<hsize_t>(static_cast<std::size_t>(rank)),
              std::vector<hsize_t>(static_cast<std::size_t>(rank))};
    if (H5Sget_simple_extent_dims(s.get(), out.dims.data(), out.maxdims.data()) < 0) {
      fail_read(path, fmt::format("cannot read the shape of '{}'", path));
    }
    return out;
  }

  Handle creation_order_plist(hid_t cls) const {
    Handle p(H5Pcreate(cls));
    const unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
    if (!p.valid() || H5Pset_obj_track_times(p.get(), false) < 0 ||
        H5Pset_attr_creation_order(p.get(), order) < 0 ||
        (cls == H5P_GROUP_CREATE && H5Pset_link_creation_order(p.get(), order) < 0)) {
      fail("/", "cannot set up an HDF5 property list");
    }
    return p;
  }

  void ensure_group(const std::string& path) {
    std::size_t k = 0;
    while (path != "/" && k != std::string::npos) {
      k = path.find('/', k + 1);
      const std::string prefix = path.substr(0, k);
      const ObjectKind found = kind(prefix);
      if (found == ObjectKind::group) continue;
      if (found != ObjectKind::missing) {
        fail(prefix, fmt::format("cannot create group '{}': a variable has that name", prefix));
      }
      Handle gcpl = creation_order_plist(H5P_GROUP_CREATE);
      Handle g(H5Gcreate2(file.get(), prefix.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT));
      if (!g.valid()) fail(prefix, fmt::format("cannot create group '{}'", prefix));
    }
  }

  // Creates a dataset; `chunk` empty means contiguous.
  Handle create_dataset(const std::string& path, hid_t type, const std::vector<hsize_t>& dims,
                        const std::vector<hsize_t>& maxdims, const std::vector<hsize_t>& chunk,
                        int deflate, hid_t fill_type, const void* fill) {
    ensure_group(parent_of(path));
    if (kind(path) != ObjectKind::missing) {
      fail(path, fmt::format("cannot create '{}': it exists already", path));
    }
    const int rank = static_cast<int>(dims.size());
    Handle space(rank == 0 ? H5Screate(H5S_SCALAR)
                           : H5Screate_simple(rank, dims.data(), maxdims.data()));
    Handle dcpl = creation_order_plist(H5P_DATASET_CREATE);
    bool ok = space.valid();
    if (ok && !chunk.empty()) {
      ok = H5Pset_chunk(dcpl.get(), rank, chunk.data()) >= 0;
      if (ok && deflate > 0) {
        ok = H5Pset_shuffle(dcpl.get()) >= 0 &&
             H5Pset_deflate(dcpl.get(), static_cast<unsigned>(deflate)) >= 0;
      }
      // Last, so that it covers the bytes on disk. HDF5 cannot filter
      // variable-length data (text).
      if (H5Tis_variable_str(type) <= 0) ok = ok && H5Pset_fletcher32(dcpl.get()) >= 0;
    }
    if (ok && fill) ok = H5Pset_fill_value(dcpl.get(), fill_type, fill) >= 0;
    if (!ok) fail(path, fmt::format("cannot set up the layout of '{}'", path));
    Handle d(H5Dcreate2(file.get(), path.c_str(), type, space.get(), H5P_DEFAULT, dcpl.get(),
                        H5P_DEFAULT));
    if (!d.valid()) fail(path, fmt::format("cannot create '{}'", path));
    return d;
  }

  // Attributes --------------------------------------------------------------

  void write_attribute(hid_t object, const std::string& path, std::string_view attr,
                       ElementType type, const void* data, std::size_t n, bool scalar) {
    const std::string key(attr);
    const std::string where = fmt::format("attribute '{}' of '{}'", key, path);
    const htri_t present = H5Aexists(object, key.c_str());
    if (present < 0 || (present > 0 && H5Adelete(object, key.c_str()) < 0)) {
      fail(path, fmt::format("cannot replace {}", where));
    }
    const hsize_t length = n;
    Handle space(scalar   ? H5Screate(H5S_SCALAR)
                 : n == 0 ? H5Screate(H5S_NULL)
                          : H5Screate_simple(1, &length, nullptr));
    // One byte more than the longest value and at least 2 (h5netcdf leaves
    // 1-byte strings undecoded).
    std::vector<char> text;
    Handle string_type;
    if (type == ElementType::string) {
      const auto* values = static_cast<const std::string*>(data);
      std::size_t bytes = 2;
      for (std::size_t i = 0; i < n; ++i) bytes = std::max(bytes, values[i].size() + 1);
      string_type = fixed_string_type(bytes);
      text.assign(n * bytes, '\0');
      for (std::size_t i = 0; i < n; ++i) values[i].copy(text.data() + i * bytes, bytes - 1);
    }
    const hid_t file_type = type == ElementType::string ? string_type.get() : stored_type(type);
    Handle a(H5Acreate2(object, key.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT));
    if (!a.valid()) fail(path, fmt::format("cannot create {}", where));
    if (n == 0) return;
    herr_t status = 0;
    if (type == ElementType::string) {
      status = H5Awrite(a.get(), string_type.get(), text.data());
    } else {
      status = H5Awrite(a.get(), native_type(type), data);
    }
    if (status < 0) fail(path, fmt::format("cannot write {}", where));
  }

  // A missing attribute is the caller's error; one HDF5 cannot look up, a
  // damaged file's.
  void require_attribute(hid_t object, const std::string& path, const std::string& key) const {
    const htri_t present = H5Aexists(object, key.c_str());
    if (present < 0) fail_read(path, fmt::format("cannot read the attributes of '{}'", path));
    if (present == 0) {
      fail(path, fmt::format("cannot read attribute '{}' of '{}': no such attribute", key, path));
    }
  }

  void write_text(hid_t object, const std::string& path, std::string_view attr,
                  std::string_view value) {
    const std::string s(value);
    write_attribute(object, path, attr, ElementType::string, &s, 1, true);
  }

  void describe(hid_t dataset, const std::string& path, const Description& d) {
    write_text(dataset, path, "long_name", d.long_name);
    if (!d.units.empty()) write_text(dataset, path, "units", d.units);
    for (const auto& [key, value] : d.extra) write_text(dataset, path, key, value);
  }

  void check_description(const std::string& path, ElementType type, const Description& d) const {
    if (d.long_name.empty()) misuse(fmt::format("'{}' needs a long_name", path));
    if (type != ElementType::string && d.units.empty()) {
      misuse(fmt::format("'{}' needs units (\"1\" for a pure number)", path));
    }
  }

  // Reads `n` strings, fixed- or variable-length, from a dataset or attribute.
  template <class Read>
  std::vector<std::string> read_strings(hid_t file_type, std::size_t n, Read&& read,
                                        const std::string& path) const {
    std::vector<std::string> out;
    out.reserve(n);
    const htri_t variable = H5Tis_variable_str(file_type);
    if (variable < 0) fail_read(path, fmt::format("cannot read '{}'", path));
    if (variable > 0) {
      check_global_heaps();
      Handle memory_type(H5Tcopy(file_type));
      H5Tset_cset(memory_type.get(), H5Tget_cset(file_type));
      std::vector<char*> buffer(n, nullptr);
      const bool read_ok = read(memory_type.get(), buffer.data()) >= 0;
      if (read_ok) {
        for (char* s : buffer) out.emplace_back(s ? s : "");
      }
      // Frees what HDF5 allocated, also when a damaged file failed the read
      // half-way; the error stack is kept for fail_read().
      const hid_t errors = H5Eget_current_stack();
      const hsize_t length = n;
      Handle space(H5Screate_simple(1, &length, nullptr));
#if H5_VERSION_GE(1, 12, 0)
      H5Treclaim(memory_type.get(), space.get(), H5P_DEFAULT, buffer.data());
#else
      H5Dvlen_reclaim(memory_type.get(), space.get(), H5P_DEFAULT, buffer.data());
#endif
      if (errors >= 0) H5Eset_current_stack(errors);
      if (!read_ok) fail_read(path, fmt::format("cannot read '{}'", path));
      return out;
    }
    const std::size_t size = H5Tget_size(file_type);
    Handle memory_type(H5Tcopy(file_type));
    std::vector<char> buffer(n * size);
    if (read(memory_type.get(), buffer.data()) < 0) {
      fail_read(path, fmt::format("cannot read '{}'", path));
    }
    const bool space_padded = H5Tget_strpad(file_type) == H5T_STR_SPACEPAD;
    for (std::size_t i = 0; i < n; ++i) {
      std::string_view s(buffer.data() + i * size, size);
      if (space_padded) {
        s = s.substr(0, s.find_last_not_of(' ') + 1);
      } else {
        s = s.substr(0, s.find('\0'));
      }
      out.emplace_back(s);
    }
    return out;
  }

  // An object's header, with the sizes of its link and attribute indexes
  // (both of them) and heaps, as h5dump and h5py's visititems read them.
  void read_object_info(const std::string& path) const {
#if H5_VERSION_GE(1, 12, 0)
    H5O_native_info_t info{};
    const herr_t status = H5Oget_native_info_by_name(file.get(), path.c_str(), &info,
                                                     H5O_NATIVE_INFO_ALL, H5P_DEFAULT);
#else
    H5O_info_t info{};
    const herr_t status =
        H5Oget_info_by_name2(file.get(), path.c_str(), &info, H5O_INFO_ALL, H5P_DEFAULT);
#endif
    if (status < 0) fail_read(path, fmt::format("cannot read the indexes of '{}'", path));
  }

  // The (variable, axis) pairs a dimension scale's REFERENCE_LIST names,
  // read once per scale. DIMENSION_LIST lives in the global heap, which has
  // no checksum; REFERENCE_LIST, in the scale's checksummed header, must
  // agree with it.
  mutable std::map<std::string, std::set<std::pair<std::string, unsigned>>> listed_by_scale;

  const std::set<std::pair<std::string, unsigned>>& listed_by(const std::string& scale) const {
    if (const auto it = listed_by_scale.find(scale); it != listed_by_scale.end()) return it->second;
    std::set<std::pair<std::string, unsigned>> out;
    Handle d = open_dataset(scale, "read");
    const htri_t present = H5Aexists(d.get(), "REFERENCE_LIST");
    if (present < 0) fail_read(scale, fmt::format("cannot read the attributes of '{}'", scale));
    if (present > 0) {
      struct Entry {
        hobj_ref_t dataset;
        int dimension;
      };
      Handle type(H5Tcreate(H5T_COMPOUND, sizeof(Entry)));
      H5Tinsert(type.get(), "dataset", HOFFSET(Entry, dataset), H5T_STD_REF_OBJ);
      H5Tinsert(type.get(), "dimension", HOFFSET(Entry, dimension), H5T_NATIVE_INT);
      Handle a(H5Aopen(d.get(), "REFERENCE_LIST", H5P_DEFAULT));
      Handle space(a.valid() ? H5Aget_space(a.get()) : H5I_INVALID_HID);
      const hssize_t n = space.valid() ? H5Sget_simple_extent_npoints(space.get()) : -1;
      std::vector<Entry> entries(n > 0 ? static_cast<std::size_t>(n) : 0);
      if (n < 0 || (n > 0 && H5Aread(a.get(), type.get(), entries.data()) < 0)) {
        fail_read(scale, fmt::format("cannot read the reference list of '{}'", scale));
      }
      for (const Entry& e : entries) {
        Handle target(H5Rdereference2(d.get(), H5P_DEFAULT, H5R_OBJECT, &e.dataset));
        if (!target.valid()) {
          fail_read(scale, fmt::format("cannot follow the reference list of '{}'", scale));
        }
        out.emplace(object_name(target.get()), static_cast<unsigned>(e.dimension));
      }
    }
    return listed_by_scale.emplace(scale, std::move(out)).first->second;
  }

  // The whole of a text variable, and the digest kept with it.
  std::vector<std::string> read_all_text(hid_t dataset, const std::string& path) const {
    Handle type(H5Dget_type(dataset));
    Handle space(H5Dget_space(dataset));
    const hssize_t n = space.valid() ? H5Sget_simple_extent_npoints(space.get()) : -1;
    if (!type.valid() || n < 0) fail_read(path, fmt::format("cannot read '{}'", path));
    if (n == 0) return {};
    if (H5Tis_variable_str(type.get()) > 0) check_heap_references(dataset, path);
    return read_strings(
        type.get(), static_cast<std::size_t>(n),
        [&](hid_t memory_type, void* buffer) {
          return H5Dread(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
        },
        path);
  }

  void record_text_digest(hid_t dataset, const std::string& path) {
    const std::uint64_t d = digest_of(read_all_text(dataset, path));
    write_attribute(dataset, path, text_digest, ElementType::uint64, &d, 1, true);
  }

  // `whole` is every value of the variable; files without a digest pass.
  void check_text_digest(hid_t dataset, const std::string& path,
                         const std::vector<std::string>& whole) const {
    const htri_t present = H5Aexists(dataset, text_digest);
    if (present < 0) fail_read(path, fmt::format("cannot read the attributes of '{}'", path));
    if (present == 0) return;
    Handle a(H5Aopen(dataset, text_digest, H5P_DEFAULT));
    std::uint64_t stored = 0;
    if (!a.valid() || H5Aread(a.get(), H5T_NATIVE_UINT64, &stored) < 0) {
      fail_read(path, fmt::format("cannot read the text digest of '{}'", path));
    }
    if (stored != digest_of(whole)) {
      damaged(path, fmt::format("the text of '{}' does not match its digest", path));
    }
  }

  // Dimensions --------------------------------------------------------------

  // Finds the largest _Netcdf4Dimid in a file opened for appending.
  std::int32_t largest_dimid(const std::string& group) const {
    std::int32_t largest = -1;
    for (const auto& member : members(group)) {
      const std::string path = child(group, member);
      const ObjectKind k = kind(path);
      if (k == ObjectKind::group) {
        largest = std::max(largest, largest_dimid(path));
      } else if (k == ObjectKind::variable) {
        Handle d(H5Dopen2(file.get(), path.c_str(), H5P_DEFAULT));
        if (H5Aexists(d.get(), "_Netcdf4Dimid") <= 0) continue;
        Handle a(H5Aopen(d.get(), "_Netcdf4Dimid", H5P_DEFAULT));
        std::int32_t id = -1;
        if (H5Aread(a.get(), H5T_NATIVE_INT32, &id) < 0) {
          fail_read(path, fmt::format("cannot read the dimension id of '{}'", path));
        }
        largest = std::max(largest, id);
      }
    }
    return largest;
  }

  void make_scale(hid_t dataset, const std::string& path, const std::string& scale_name) {
    if (next_dimid < 0) next_dimid = largest_dimid("/") + 1;
    const std::int32_t id = next_dimid++;
    check(H5DSset_scale(dataset, scale_name.c_str()), path, "make a dimension of");
    write_attribute(dataset, path, "_Netcdf4Dimid", ElementType::int32, &id, 1, true);
  }

  // The dimension `dim` as seen from the variable at `path`: in its group or
  // the nearest parent that has it, as netCDF scopes dimensions.
  std::string find_dimension(const std::string& path, const std::string& dim) const {
    if (dim.empty() || dim.find('/') != std::string::npos) {
      misuse(fmt::format("'{}': dimension names have no '/': '{}'", path, dim));
    }
    std::string group = parent_of(path);
    for (;;) {
      const std::string candidate = child(group, dim);
      if (kind(candidate) == ObjectKind::variable) {
        Handle d(H5Dopen2(file.get(), candidate.c_str(), H5P_DEFAULT));
        if (H5DSis_scale(d.get()) > 0) return candidate;
      }
      if (group == "/") break;
      group = parent_of(group);
    }
    misuse(fmt::format("'{}': no dimension '{}' in its group or a parent", path, dim));
  }

  std::vector<std::string> members(const std::string& group) const {
    Handle g(H5Gopen2(file.get(), group.c_str(), H5P_DEFAULT));
    if (!g.valid()) fail_read(group, fmt::format("cannot open group '{}'", group));
    H5G_info_t info{};
    if (H5Gget_info(g.get(), &info) < 0) fail_read(group, fmt::format("cannot list '{}'", group));
    unsigned order = 0;
    Handle gcpl(H5Gget_create_plist(g.get()));
    if (gcpl.valid()) H5Pget_link_creation_order(gcpl.get(), &order);
    const H5_index_t index =
        (order & H5P_CRT_ORDER_INDEXED) != 0 ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME;
    std::vector<std::string> out;
    for (hsize_t i = 0; i < info.nlinks; ++i) {
      const ssize_t n =
          H5Lget_name_by_idx(g.get(), ".", index, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
      if (n < 0) fail_read(group, fmt::format("cannot list '{}'", group));
      std::string name(static_cast<std::size_t>(n), '\0');
      H5Lget_name_by_idx(g.get(), ".", index, H5_ITER_INC, i, name.data(), name.size() + 1,
                         H5P_DEFAULT);
      out.push_back(std::move(name));
    }
    return out;
  }
};

// ---------------------------------------------------------------------------
// Opening and closing

H5File::H5File(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
H5File::H5File(H5File&&) noexcept = default;
H5File& H5File::operator=(H5File&&) noexcept = default;
H5File::~H5File() = default;

H5File::Impl& H5File::impl() const {
  if (!impl_ || !impl_->file.valid()) throw std::logic_error("io::H5File: the file is closed");
  detail::enter_library();
  return *impl_;
}

H5File H5File::create(const fs::path& path) {
  detail::enter_library();
  auto m = std::make_unique<Impl>();
  m->file_path = path;
  m->file_name = path.string();
  m->writable = true;
  m->next_dimid = 0;
  const unsigned order = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
  Handle fcpl(H5Pcreate(H5P_FILE_CREATE));
  Handle fapl = file_access();
  if (!fapl.valid() || H5Pset_link_creation_order(fcpl.get(), order) < 0 ||
      H5Pset_attr_creation_order(fcpl.get(), order) < 0 ||
      H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_V110, H5F_LIBVER_V110) < 0) {
    m->fail("/", "cannot set up HDF5 file properties");
  }
  m->file = Handle(H5Fcreate(m->file_name.c_str(), H5F_ACC_TRUNC, fcpl.get(), fapl.get()));
  if (!m->file.valid()) m->fail("/", "cannot create the file");

  unsigned major = 0, minor = 0, release = 0;
  H5get_libversion(&major, &minor, &release);
  const std::string properties = fmt::format("version=2,regsim={},hdf5={}.{}.{}",
                                             REGSIM_IO_PROJECT_VERSION, major, minor, release);
  // netCDF-C writes _NCProperties as fixed-length ASCII.
  Handle type(H5Tcopy(H5T_C_S1));
  Handle scalar(H5Screate(H5S_SCALAR));
  H5Tset_size(type.get(), properties.size());
  Handle a(H5Acreate2(m->file.get(), "_NCProperties", type.get(), scalar.get(), H5P_DEFAULT,
                      H5P_DEFAULT));
  if (!a.valid() || H5Awrite(a.get(), type.get(), properties.c_str()) < 0) {
    m->fail("/", "cannot write _NCProperties");
  }
  return H5File(std::move(m));
}

H5File H5File::open(const fs::path& path, Access access) {
  detail::enter_library();
  const std::string name = path.string();
  std::error_code ec;
  if (!fs::exists(path, ec)) throw_input_error(name, "no such file");
  if (!fs::is_regular_file(path, ec)) throw_input_error(name, "not a file", "an HDF5 file");
  if (!std::ifstream(path, std::ios::binary)) {
    throw_input_error(name, "cannot read the file (no permission?)");
  }
#if H5_VERSION_GE(1, 12, 0)
  const htri_t is_hdf5 = H5Fis_accessible(name.c_str(), H5P_DEFAULT);
#else
  const htri_t is_hdf5 = H5Fis_hdf5(name.c_str());
#endif
  if (is_hdf5 <= 0) {
    detail::take_error_stack();
    throw_input_error(name, "not an HDF5 file", "an HDF5 file written by regsim (netCDF-4 layout)");
  }
  Handle fapl = file_access();
  const unsigned flags = access == Access::read_write ? H5F_ACC_RDWR : H5F_ACC_RDONLY;
  Handle file(H5Fopen(name.c_str(), flags, fapl.get()));
  if (!file.valid()) {
    throw_input_error(
        name, fmt::format("cannot open the HDF5 file: {}", innermost(detail::take_error_stack())));
  }
  auto m = std::make_unique<Impl>();
  m->file_path = path;
  m->file_name = name;
  m->file = std::move(file);
  m->writable = access == Access::read_write;
  return H5File(std::move(m));
}

const fs::path& H5File::path() const {
  if (!impl_) throw std::logic_error("io::H5File: moved from");
  return impl_->file_path;
}

bool H5File::writable() const { return impl().writable; }

void H5File::flush() {
  Impl& m = impl();
  m.check(H5Fflush(m.file.get(), H5F_SCOPE_GLOBAL), "/", "flush");
}

void H5File::close() {
  Impl& m = impl();
  if (!m.file.close()) m.fail("/", "cannot close the file");
}

// ---------------------------------------------------------------------------
// Structure

void H5File::create_group(std::string_view path) {
  Impl& m = impl();
  const std::string p = normalize(path);
  m.require_writable(p, "create group");
  m.ensure_group(p);
}

void H5File::remove(std::string_view path) {
  Impl& m = impl();
  const std::string p = normalize(path);
  m.require_writable(p, "remove");
  if (m.kind(p) == ObjectKind::missing) return;
  if (H5Ldelete(m.file.get(), p.c_str(), H5P_DEFAULT) < 0) m.fail(p, "cannot remove the object");
}

ObjectKind H5File::kind(std::string_view path) const {
  Impl& m = impl();
  const std::string p = normalize(path);
  const ObjectKind k = m.kind(p);
  if (k != ObjectKind::variable) return k;
  Handle d = m.open_dataset(p, "read");
  return plain_dimension(d.get()) ? ObjectKind::dimension : k;
}

std::vector<std::string> H5File::members(std::string_view group) const {
  Impl& m = impl();
  const std::string p = normalize(group);
  if (m.kind(p) != ObjectKind::group) m.fail(p, fmt::format("cannot list '{}': no such group", p));
  return m.members(p);
}

// ---------------------------------------------------------------------------
// Dimensions

void H5File::add_dimension(std::string_view path, std::size_t length) {
  Impl& m = impl();
  const std::string p = normalize(path);
  m.require_writable(p, "create dimension");
  const hsize_t n = length;
  Handle d = m.create_dataset(p, H5T_IEEE_F32LE, {n}, {n}, {}, 0, H5I_INVALID_HID, nullptr);
  m.make_scale(d.get(), p, fmt::format("{}{:10}", not_a_variable, length));
}

void H5File::add_dimension(std::string_view path, Unlimited) {
  Impl& m = impl();
  const std::string p = normalize(path);
  m.require_writable(p, "create dimension");
  Handle d = m.create_dataset(p, H5T_IEEE_F32LE, {0}, {H5S_UNLIMITED}, {1024}, 0, H5I_INVALID_HID,
                              nullptr);
  m.make_scale(d.get(), p, fmt::format("{}{:10}", not_a_variable, 0));
}

void H5File::add_coordinate_(std::string_view path, ElementType type, const void* data,
                             std::size_t n, const Description& description, bool grows) {
  Impl& m = impl();
  const std::string p = normalize(path);
  m.require_writable(p, "create dimension");
  m.check_description(p, type, description);
  const hsize_t length = n;
  // Numbers are chunked (one chunk unless they grow) so that Fletcher-32
  // covers them; fixed text stays contiguous (see check_heap_references).
  std::vector<hsize_t> chunk;
  if (grows) {
    chunk = {std::max<hsize_t>(1, coordinate_chunk_bytes / element_bytes(type))};
  } else if (n > 0 && type != ElementType::string) {
    chunk = {length};
  }
  Handle string_type;
  if (type == ElementType::string) string_type = vlen_string_type();
  const hid_t file_type = type == ElementType::string ? string_type.get() : stored_type(type);
  Handle d = m.create_dataset(p, file_type, {length}, {grows ? H5S_UNLIMITED : length}, chunk, 0,
                              H5I_INVALID_HID, nullptr);
  if (n > 0) {
    herr_t status = 0;
    if (type == ElementType::string) {
      const auto strings = c_strings(data, n);
      status = H5Dwrite(d.get(), file_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, strings.data());
    } else {
      status = H5Dwrite(d.get(), native_type(type), H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
    }
    m.check(status, p, "write");
    if (type == ElementType::string) m.record_text_digest(d.get(), p);
  }
  m.describe(d.get(), p, description);
  m.make_scale(d.get(), p, name_of(p));
  m.close_written(d, p);
}

bool H5File::is_dimension(std::string_view path) const {
  Impl& m = impl();
  const std::string p = normalize(path);
  if (m.kind(p) != ObjectKind::variable) return false;
  Handle d = m.open_dataset(p, "read");
  return H5DSis_scale(d.get()) > 0;
}

std::vector<std::string> H5File::dimensions(std::string_view path) const {
  Impl& m = impl();
  const std::string p = normalize(path);
  Handle d = m.open_dataset(p, "read the dimensions of");
  if (H5DSis_scale(d.get()) > 0) return {name_of(p)};
  const std::size_t rank = m.space(d.get(), p).rank();
  std::vector<std::string> out(rank);
  m.check_global_heaps();  // DIMENSION_LIST lives there
  for (std::size_t i = 0; i < rank; ++i) {
    std::string scale;
    if (H5DSiterate_scales(d.get(), static_cast<unsigned>(i), nullptr, scale_path, &scale) < 0) {
      m.fail_read(p, fmt::format("cannot read the dimensions of '{}'", p));
    }
    if (scale.empty()) continue;
    if (!m.writable && m.listed_by(scale).count({p, static_cast<unsigned>(i)}) == 0) {
      m.damaged(p, fmt::format("the dimension list of '{}' names '{}', which does not list it back",
                               p, scale));
    }
    out[i] = name_of(scale);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Variables

void H5File::create_variable_(std::string_view path, ElementType type, const Layout& layout,
                              const Description& description) {
  Impl& m = impl();
  const std::string p = normalize(path);
  m.require_writable(p, "create variable");
  m.check_description(p, type, description);
  if (layout.deflate < 0 || layout.deflate > 9) {
    m.misuse(fmt::format("'{}': deflate level {} is not in 0..9", p, layout.deflate));
  }
  const std::size_t rank = layout.dims.size();
  std::vector<Handle> scales;
  std::vector<hsize_t> dims(rank), maxdims(rank);
  std::vector<bool> grows(rank);
  bool any_grows = false, any_empty = false;
  for (std::size_t i = 0; i < rank; ++i) {
    const std::string scale_path = m.find_dimension(p, layout.dims[i]);
    scales.push_back(m.open_dataset(scale_path, "read"));
    const Space s = m.space(scales.back().get(), scale_path);
    if (s.rank() != 1) m.fail(scale_path, fmt::format("'{}' is not one-dimensional", scale_path));
    grows[i] = s.maxdims[0] == H5S_UNLIMITED;
    dims[i] = grows[i] ? 0 : s.dims[0];
    maxdims[i] = grows[i] ? H5S_UNLIMITED : s.dims[0];
    any_grows = any_grows || grows[i];
    any_empty = any_empty || (!grows[i] && dims[i] == 0);
  }
  const bool compress = type != ElementType::string && layout.deflate > 0;
  // Every numeric variable with elements is chunked, so that Fletcher-32
  // covers it; text along fixed dimensions stays contiguous (see
  // check_heap_references).
  std::vector<hsize_t> chunk;
  if (rank > 0 && (any_grows || type != ElementType::string || !layout.chunk.empty())) {
    if (any_empty && any_grows) {
      m.misuse(
          fmt::format("'{}': a variable along an unlimited dimension cannot have an empty one", p));
    }
    if (!any_empty) {
      if (layout.chunk.empty()) {
        chunk = default_chunk(dims, grows, element_bytes(type));
      } else {
        if (layout.chunk.size() != rank) {
          m.misuse(
              fmt::format("'{}': {} chunk sizes for {} dimensions", p, layout.chunk.size(), rank));
        }
        chunk = to_hsize(layout.chunk);
        for (std::size_t i = 0; i < rank; ++i) {
          if (chunk[i] == 0) m.misuse(fmt::format("'{}': a chunk size is 0", p));
          if (!grows[i]) chunk[i] = std::min(chunk[i], dims[i]);
        }
      }
    }
  }

  const float nan32 = std::numeric_limits<float>::quiet_NaN();
  const double nan64 = std::numeric_limits<double>::quiet_NaN();
  const void* fill = type == ElementType::float32   ? static_cast<const void*>(&nan32)
                     : type == ElementType::float64 ? static_cast<const void*>(&nan64)
                                                    : nullptr;
  Handle string_type;
  if (type == ElementType::string) string_type = vlen_string_type();
  const hid_t file_type = type == ElementType::string ? string_type.get() : stored_type(type);
  Handle d = m.create_dataset(p, file_type, dims, maxdims, chunk, compress ? layout.deflate : 0,
                              fill ? native_type(type) : H5I_INVALID_HID, fill);
  for (std::size_t i = 0; i < rank; ++i) {
    m.check(H5DSattach_scale(d.get(), scales[i].get(), static_cast<unsigned>(i)), p,
            "attach a dimension to");
  }
  m.describe(d.get(), p, description);
  if (fill) m.write_attribute(d.get(), p, "_FillValue", type, fill, 1, true);
}

Extent H5File::shape(std::string_view path) const {
  Impl& m = impl();
  const std::string p = normalize(path);
  Handle d = m.open_dataset(p, "read the shape of");
  const Space s = m.space(d.get(), p);
  return {s.dims.begin(), s.dims.end()};
}

ElementType H5File::element_type(std::string_view path) const {
  Impl& m = impl();
  const std::string p = normalize(path);
  Handle d = m.open_dataset(p, "read the type of");
  Handle t(H5Dget_type(d.get()));
  if (!t.valid()) m.fail_read(p, fmt::format("cannot read the type of '{}'", p));
  return classify(t.get());
}

std::size_t H5File::write_(std::string_view path, const Extent* offset, const Extent& count,
                           ElementType type, const void* data, std::size_t n) {
  Impl& m = impl();
  const std::string p = normalize(path);
  m.require_writable(p, "write");
  Handle d = m.open_dataset(p, "write");
  Handle file_type(H5Dget_type(d.get()));
  if (!file_type.valid()) m.fail(p, fmt::format("cannot read the type of '{}'", p));
  if ((type == ElementType::string) != (H5Tget_class(file_type.get()) == H5T_STRING)) {
    m.misuse(fmt::format("cannot write {} values to '{}', which holds {}", type_name(type), p,
                         type_name(classify(file_type.get()))));
  }
  const Space s = m.space(d.get(), p);
  const std::size_t rank = s.rank();
  if (count.size() != rank) {
    m.misuse(fmt::format("'{}' has {} dimensions, the block {}", p, rank, count.size()));
  }
  std::vector<hsize_t> start;
  if (offset) {
    if (offset->size() != rank) {
      m.misuse(fmt::format("'{}' has {} dimensions, the offset {}", p, rank, offset->size()));
    }
    start = to_hsize(*offset);
  } else {
    if (rank == 0 || s.maxdims[0] != H5S_UNLIMITED) {
      m.misuse(fmt::format("cannot append to '{}': its first dimension is not unlimited", p));
    }
    start.assign(rank, 0);
    start[0] = s.dims[0];
  }
  const std::vector<hsize_t> block = to_hsize(count);
  if (product(block) != n) {
    m.misuse(fmt::format("'{}': a block of {} elements, but {} values", p, product(block), n));
  }
  const std::size_t where = rank == 0 ? 0 : start[0];
  if (n == 0) return where;

  std::vector<hsize_t> extent = s.dims;
  bool grow = false;
  for (std::size_t i = 0; i < rank; ++i) {
    const hsize_t end = start[i] + block[i];
    if (end <= s.dims[i]) continue;
    if (s.maxdims[i] != H5S_UNLIMITED) {
      m.misuse(fmt::format("'{}': the block ends at {} along dimension {}, past its length {}", p,
                           end, i, s.dims[i]));
    }
    extent[i] = end;
    grow = true;
  }
  if (grow) {
    m.check(H5Dset_extent(d.get(), extent.data()), p, "extend");
    const bool is_scale = H5DSis_scale(d.get()) > 0;
    for (std::size_t i = 0; i < rank; ++i) {
      if (extent[i] == s.dims[i] || is_scale) continue;
      hsize_t length = extent[i];
      m.check(
          H5DSiterate_scales(d.get(), static_cast<unsigned>(i), nullptr, grow_plain_scale, &length),
          p, "extend the dimensions of");
    }
  }

  Handle file_space(H5Dget_space(d.get()));
  Handle memory_space(rank == 0 ? H5Screate(H5S_SCALAR)
                                : H5Screate_simple(static_cast<int>(rank), block.data(), nullptr));
  if (rank > 0 && H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr,
                                      block.data(), nullptr) < 0) {
    m.fail(p, fmt::format("cannot select a block of '{}'", p));
  }
  herr_t status = 0;
  if (type == ElementType::string) {
    const auto strings = c_strings(data, n);
    status = H5Dwrite(d.get(), file_type.get(), memory_space.get(), file_space.get(), H5P_DEFAULT,
                      strings.data());
  } else {
    status = H5Dwrite(d.get(), native_type(type), memory_space.get(), file_space.get(), H5P_DEFAULT,
                      data);
  }
  m.check(status, p, "write");
  if (type == ElementType::string) m.record_text_digest(d.get(), p);
  m.close_written(d, p);
  return where;
}

void H5File::read_(std::string_view path, const Extent* offset, const Extent* count,
                   ElementType type, void* out) const {
  Impl& m = impl();
  const std::string p = normalize(path);
  Handle d = m.open_dataset(p, "read");
  Handle file_type(H5Dget_type(d.get()));
  if (!file_type.valid()) m.fail_read(p, fmt::format("cannot read the type of '{}'", p));
  const bool wants_text = type == ElementType::string;
  if (wants_text ? H5Tget_class(file_type.get()) != H5T_STRING
                 : !is_number_class(file_type.get())) {
    m.fail(p, fmt::format("cannot read '{}' as {}: it holds {}", p, type_name(type),
                          type_name(classify(file_type.get()))));
  }
  Handle file_space(H5Dget_space(d.get()));
  Handle memory_space;
  std::size_t n = 0;
  if (offset) {
    const Space s = m.space(d.get(), p);
    if (offset->size() != s.rank() || count->size() != s.rank()) {
      m.misuse(fmt::format("'{}' has {} dimensions, the block {}", p, s.rank(), count->size()));
    }
    const std::vector<hsize_t> start = to_hsize(*offset), block = to_hsize(*count);
    for (std::size_t i = 0; i < s.rank(); ++i) {
      if (start[i] + block[i] > s.dims[i]) {
        m.misuse(fmt::format("'{}': the block ends at {} along dimension {}, past its length {}", p,
                             start[i] + block[i], i, s.dims[i]));
      }
    }
    n = product(block);
    if (n == 0) {
      resized(type, out, 0);
      return;
    }
    if (H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, block.data(),
                            nullptr) < 0) {
      m.fail(p, fmt::format("cannot select a block of '{}'", p));
    }
    memory_space = Handle(H5Screate_simple(static_cast<int>(block.size()), block.data(), nullptr));
  } else {
    const hssize_t points = H5Sget_select_npoints(file_space.get());
    if (points < 0) m.fail_read(p, fmt::format("cannot read the shape of '{}'", p));
    n = static_cast<std::size_t>(points);
    memory_space = Handle(H5Scopy(file_space.get()));
  }
  if (n == 0) {
    resized(type, out, 0);
    return;
  }
  if (wants_text) {
    if (H5Tis_variable_str(file_type.get()) > 0) m.check_heap_references(d.get(), p);
    auto values = m.read_strings(
        file_type.get(), n,
        [&](hid_t memory_type, void* buffer) {
          return H5Dread(d.get(), memory_type, memory_space.get(), file_space.get(), H5P_DEFAULT,
                         buffer);
        },
        p);
    m.check_text_digest(d.get(), p, offset ? m.read_all_text(d.get(), p) : values);
    *static_cast<std::vector<std::string>*>(out) = std::move(values);
    return;
  }
  void* buffer = resized(type, out, n);
  if (H5Dread(d.get(), native_type(type), memory_space.get(), file_space.get(), H5P_DEFAULT,
              buffer) < 0) {
    m.fail_read(p, fmt::format("cannot read '{}'", p));
  }
}

// ---------------------------------------------------------------------------
// Attributes

void H5File::set_attribute(std::string_view object, std::string_view name, std::string_view value) {
  const std::string s(value);
  set_attribute_(object, name, ElementType::string, &s, 1, true);
}

void H5File::set_attribute_(std::string_view object, std::string_view name, ElementType type,
                            const void* data, std::size_t n, bool scalar) {
  Impl& m = impl();
  const std::string p = normalize(object);
  m.require_writable(p, "set an attribute of");
  for (const std::string_view hidden : hidden_attributes) {
    if (name == hidden) m.misuse(fmt::format("'{}': attribute name '{}' is reserved", p, name));
  }
  Handle o = m.open_object(p, "set an attribute of");
  m.write_attribute(o.get(), p, name, type, data, n, scalar);
}

bool H5File::has_attribute(std::string_view object, std::string_view name) const {
  Impl& m = impl();
  const std::string p = normalize(object);
  Handle o = m.open_object(p, "read the attributes of");
  const htri_t present = H5Aexists(o.get(), std::string(name).c_str());
  if (present < 0) m.fail_read(p, fmt::format("cannot read the attributes of '{}'", p));
  return present > 0;
}

std::vector<std::string> H5File::attribute_names(std::string_view object) const {
  Impl& m = impl();
  const std::string p = normalize(object);
  Handle o = m.open_object(p, "read the attributes of");
  std::vector<std::string> all;
  hsize_t start = 0;
  if (H5Aiterate2(o.get(), H5_INDEX_CRT_ORDER, H5_ITER_INC, &start, collect_attribute_name, &all) <
      0) {
    // Creation order was not tracked: fall back to names.
    all.clear();
    start = 0;
    if (H5Aiterate2(o.get(), H5_INDEX_NAME, H5_ITER_INC, &start, collect_attribute_name, &all) <
        0) {
      m.fail_read(p, fmt::format("cannot read the attributes of '{}'", p));
    }
  }
  std::vector<std::string> out;
  for (auto& a : all) {
    if (std::find(std::begin(hidden_attributes), std::end(hidden_attributes), a) ==
        std::end(hidden_attributes)) {
      out.push_back(std::move(a));
    }
  }
  return out;
}

ElementType H5File::attribute_type(std::string_view object, std::string_view name) const {
  Impl& m = impl();
  const std::string p = normalize(object);
  const std::string key(name);
  Handle o = m.open_object(p, "read the attributes of");
  m.require_attribute(o.get(), p, key);
  Handle a(H5Aopen(o.get(), key.c_str(), H5P_DEFAULT));
  Handle t(a.valid() ? H5Aget_type(a.get()) : H5I_INVALID_HID);
  if (!t.valid()) m.fail_read(p, fmt::format("cannot read attribute '{}' of '{}'", key, p));
  return classify(t.get());
}

void H5File::read_attribute_(std::string_view object, std::string_view name, ElementType type,
                             void* out) const {
  Impl& m = impl();
  const std::string p = normalize(object);
  const std::string key(name);
  const std::string what = fmt::format("attribute '{}' of '{}'", key, p);
  Handle o = m.open_object(p, "read the attributes of");
  m.require_attribute(o.get(), p, key);
  Handle a(H5Aopen(o.get(), key.c_str(), H5P_DEFAULT));
  Handle file_type(a.valid() ? H5Aget_type(a.get()) : H5I_INVALID_HID);
  Handle space(a.valid() ? H5Aget_space(a.get()) : H5I_INVALID_HID);
  if (!file_type.valid() || !space.valid()) m.fail_read(p, fmt::format("cannot read {}", what));
  const bool wants_text = type == ElementType::string;
  if (wants_text ? H5Tget_class(file_type.get()) != H5T_STRING
                 : !is_number_class(file_type.get())) {
    m.fail(p, fmt::format("cannot read {} as {}: it holds {}", what, type_name(type),
                          type_name(classify(file_type.get()))));
  }
  const hssize_t points = H5Sget_simple_extent_npoints(space.get());
  if (points < 0) m.fail_read(p, fmt::format("cannot read {}", what));
  const auto n = static_cast<std::size_t>(points);
  if (n == 0) {
    // netCDF writes an empty text attribute with a null dataspace.
    if (wants_text)
      *static_cast<std::vector<std::string>*>(out) = {""};
    else
      resized(type, out, 0);
    return;
  }
  if (wants_text) {
    *static_cast<std::vector<std::string>*>(out) = m.read_strings(
        file_type.get(), n,
        [&](hid_t memory_type, void* buffer) { return H5Aread(a.get(), memory_type, buffer); },
        what);
    return;
  }
  void* buffer = resized(type, out, n);
  if (H5Aread(a.get(), native_type(type), buffer) < 0) {
    m.fail_read(p, fmt::format("cannot read {}", what));
  }
}

// ---------------------------------------------------------------------------
// Reading everything

std::size_t H5File::read_everything() const {
  std::size_t variables = 0;
  std::vector<std::string> pending{"/"};
  while (!pending.empty()) {
    const std::string group = std::move(pending.back());
    pending.pop_back();
    impl().read_object_info(group);
    read_all_attributes_(group);
    for (const std::string& name : members(group)) {
      const std::string path = child(group, name);
      const ObjectKind k = impl().kind(path);
      if (k == ObjectKind::group) pending.push_back(path);
      if (k != ObjectKind::variable) continue;
      impl().read_object_info(path);
      read_all_attributes_(path);
      (void)dimensions(path);
      read_all_values_(path);
      ++variables;
    }
  }
  return variables;
}

void H5File::read_all_attributes_(const std::string& object) const {
  Impl& m = impl();
  Handle o = m.open_object(object, "read the attributes of");
  std::vector<std::string> names;
  hsize_t start = 0;
  if (H5Aiterate2(o.get(), H5_INDEX_NAME, H5_ITER_INC, &start, collect_attribute_name, &names) <
      0) {
    m.fail_read(object, fmt::format("cannot read the attributes of '{}'", object));
  }
  for (const std::string& name : names) {
    const std::string what = fmt::format("attribute '{}' of '{}'", name, object);
    Handle a(H5Aopen(o.get(), name.c_str(), H5P_DEFAULT));
    Handle type(a.valid() ? H5Aget_type(a.get()) : H5I_INVALID_HID);
    Handle space(a.valid() ? H5Aget_space(a.get()) : H5I_INVALID_HID);
    const hssize_t n = space.valid() ? H5Sget_simple_extent_npoints(space.get()) : -1;
    if (!type.valid() || n < 0) m.fail_read(object, fmt::format("cannot read {}", what));
    if (H5Tget_class(type.get()) == H5T_STRING) {
      (void)attribute_values<std::string>(object, name);
    } else if (H5Tdetect_class(type.get(), H5T_VLEN) <= 0) {
      // Numbers and the dimension scales' reference lists, read as stored.
      std::vector<unsigned char> buffer(static_cast<std::size_t>(n) * H5Tget_size(type.get()));
      if (n > 0 && H5Aread(a.get(), type.get(), buffer.data()) < 0) {
        m.fail_read(object, fmt::format("cannot read {}", what));
      }
    }  // DIMENSION_LIST, the one variable-length list, is read by dimensions()
  }
}

void H5File::read_all_values_(const std::string& variable) const {
  const ElementType type = element_type(variable);
  if (type == ElementType::string) {
    (void)read<std::string>(variable);
    return;
  }
  if (type == ElementType::other) return;  // not written by regsim; nothing to check
  const Extent extent = shape(variable);
  if (extent.empty()) {
    (void)read<double>(variable);
    return;
  }
  std::size_t row = 1;
  for (std::size_t i = 1; i < extent.size(); ++i) row *= extent[i];
  if (row == 0) return;
  const std::size_t rows_per_block = std::max<std::size_t>(1, (std::size_t{2} << 20) / row);
  Extent offset(extent.size(), 0), count = extent;
  for (std::size_t first = 0; first < extent[0]; first += rows_per_block) {
    offset[0] = first;
    count[0] = std::min(rows_per_block, extent[0] - first);
    (void)read<double>(variable, offset, count);
  }
}

void H5File::not_one_value_(std::string_view object, std::string_view name, std::size_t n) const {
  const Impl& m = impl();
  m.fail(normalize(object),
         fmt::format("attribute '{}' of '{}' has {} values, not one", name, normalize(object), n));
}

}  // namespace regsim::io
