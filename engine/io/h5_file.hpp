// HDF5 files in the netCDF-4 layout: groups, attributes, dimensions as HDF5
// dimension scales, chunked and compressed variables with hyperslab reads and
// writes. xarray (engine="h5netcdf"), netCDF-C's ncdump and h5py read the
// files without our code (DESIGN §5). hdf5.h stays in io/*.cpp (STYLE §3.3).
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <ranges>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "support/errors.hpp"

namespace regsim::io {

/// A system or HDF5 failure (exit code 1). what() names the file and the
/// object and ends with the HDF5 error stack, outermost call first.
class IoError : public SystemFailure {
 public:
  IoError(const std::string& message, std::string object_path, std::string hdf5_stack);
  /// The object the operation was about, e.g. "/trajectories/unemployed".
  const std::string& object_path() const { return object_path_; }
  /// One line per HDF5 error record; empty if HDF5 reported none.
  const std::string& hdf5_stack() const { return hdf5_stack_; }

 private:
  std::string object_path_;
  std::string hdf5_stack_;
};

/// What a variable or attribute holds, with netCDF-4's type names in comments.
enum class ElementType {
  uint8,    ///< ubyte
  int32,    ///< int
  int64,    ///< int64
  uint64,   ///< uint64
  float32,  ///< float
  float64,  ///< double
  string,   ///< string (variable-length UTF-8)
  other,    ///< anything else found in a file written elsewhere
};

template <class T>
inline constexpr ElementType element_type_of = ElementType::other;
template <>
inline constexpr ElementType element_type_of<std::uint8_t> = ElementType::uint8;
template <>
inline constexpr ElementType element_type_of<std::int32_t> = ElementType::int32;
template <>
inline constexpr ElementType element_type_of<std::int64_t> = ElementType::int64;
template <>
inline constexpr ElementType element_type_of<std::uint64_t> = ElementType::uint64;
template <>
inline constexpr ElementType element_type_of<float> = ElementType::float32;
template <>
inline constexpr ElementType element_type_of<double> = ElementType::float64;
template <>
inline constexpr ElementType element_type_of<std::string> = ElementType::string;

/// The numeric element types.
template <class T>
concept Number = (element_type_of<T> != ElementType::other) &&
                 (element_type_of<T> != ElementType::string);
/// The numeric element types and std::string.
template <class T>
concept Element = (element_type_of<T> != ElementType::other);
/// A contiguous range of elements: std::vector, std::array, std::span.
template <class R>
concept ElementRange = std::ranges::contiguous_range<R> && std::ranges::sized_range<R> &&
    Element<std::remove_cv_t<std::ranges::range_value_t<R>>>;

/// Offsets or counts along each dimension of a variable, outermost first.
using Extent = std::vector<std::size_t>;

/// Marks a dimension that grows as variables along it are written (HDF5's
/// H5S_UNLIMITED; netCDF's UNLIMITED), e.g. `replicate` and `event`.
struct Unlimited {
  explicit constexpr Unlimited() = default;
};
inline constexpr Unlimited unlimited{};

/// The CF attributes written on every variable and coordinate. Neither
/// field has a default, so leaving one out does not compile (-Werror); text
/// variables have no units: `{"city identifier", ""}`.
struct Description {
  std::string long_name;  ///< "registered unemployed persons"; never empty
  std::string units;      ///< UDUNITS: "persons", "1", "days since 2013-01-01"; never empty
                          ///< for numbers, not written if empty
  std::vector<std::pair<std::string, std::string>> extra = {};  ///< {"calendar", "standard"}
};

/// How a variable is laid out.
struct Layout {
  /// Dimension names, outermost first, resolved as netCDF does: in the
  /// variable's group, then in its parents. Empty for a scalar.
  std::vector<std::string> dims;
  /// Elements per chunk along each dimension; empty: whole fixed dimensions
  /// (halved until a chunk is at most 1 MiB) and, along the first unlimited
  /// one, enough to make a chunk of about 64 KiB.
  Extent chunk = {};
  /// zlib level 0-9, applied after the byte shuffle; 0 turns both off.
  /// Strings are never compressed.
  int deflate = 4;
};

/// Kinds of object at a path, in netCDF's terms.
enum class ObjectKind {
  missing,
  group,
  variable,   ///< a dataset, including a coordinate variable (a dimension with values)
  dimension,  ///< a dimension without coordinate values, which is not a netCDF variable
  other,      ///< e.g. a named datatype
};

/// One HDF5 file in the netCDF-4 layout, open for the lifetime of the object.
///
/// Dimensions are HDF5 dimension scales with `_Netcdf4Dimid`; one without
/// coordinate values carries netCDF's "This is a netCDF dimension but not a
/// netCDF variable" name. Text attributes are fixed-length UTF-8 (h5py reads
/// them as bytes; netCDF and h5netcdf as text), text variables
/// variable-length UTF-8, as xarray writes them, with a digest. Every
/// variable with elements is chunked and checksummed (Fletcher-32). Floating-point variables have
/// `_FillValue` NaN. Object timestamps are off, so equal content gives equal bytes.
///
///     auto f = io::H5File::create("run.h5");
///     f.set_attribute("/", "title", "baseline");
///     f.add_dimension("/replicate", std::vector<std::int64_t>{}, {"replicate", "1"},
///                     io::unlimited);
///     f.add_dimension("/city", city_ids, {"city identifier", ""});
///     f.add_dimension("/time", days,
///                     {"time", "days since 2013-01-01", {{"calendar", "standard"}}});
///     f.create_variable<float>("/trajectories/unemployed", {{"replicate", "city", "time"}},
///                              {"registered unemployed persons", "persons"});
///     f.append("/trajectories/unemployed", {block, n_cities, n_months}, values);
///
/// Errors: a file opened read-only is user input, so opening a file that is
/// missing, not HDF5, truncated or damaged, and reading damaged data, throw
/// scenario::InputError naming the file (exit code 2). Everything else,
/// including a missing object, throws IoError. Misuse (wrong rank, wrong
/// element count, writing past a fixed dimension, a numeric variable without
/// units) throws std::invalid_argument. Not thread-safe: one writer thread.
class H5File {
 public:
  enum class Access { read_only, read_write };

  /// Creates `path`, replacing any file there.
  static H5File create(const std::filesystem::path& path);
  /// Opens an existing file; read_write to append (e.g. to resume a run).
  static H5File open(const std::filesystem::path& path, Access access = Access::read_only);

  H5File(H5File&&) noexcept;
  H5File& operator=(H5File&&) noexcept;
  H5File(const H5File&) = delete;
  H5File& operator=(const H5File&) = delete;
  /// Closes the file; errors are lost, call close() to see them.
  ~H5File();

  const std::filesystem::path& path() const;
  bool writable() const;
  /// Writes buffered data to disk.
  void flush();
  /// Closes the file now; further calls other than path() are invalid.
  void close();

  // Structure --------------------------------------------------------------

  /// Creates a group and any missing parent; does nothing if it exists.
  void create_group(std::string_view path);
  /// Unlinks an object (a group with all it holds); nothing if missing.
  /// Variables elsewhere must not use the dimensions it holds.
  void remove(std::string_view path);
  ObjectKind kind(std::string_view path) const;
  bool exists(std::string_view path) const { return kind(path) != ObjectKind::missing; }
  /// Names of a group's members, in creation order where the file tracks it.
  std::vector<std::string> members(std::string_view group = "/") const;

  // Dimensions -------------------------------------------------------------

  /// A dimension without coordinate values (netCDF: "a dimension but not a
  /// variable").
  void add_dimension(std::string_view path, std::size_t length);
  /// The same, growing from 0, e.g. `event`.
  void add_dimension(std::string_view path, Unlimited);

  /// A dimension whose coordinate variable holds `values`: numbers (time) or
  /// strings (city identifiers, statistic names).
  template <ElementRange R>
  void add_dimension(std::string_view path, const R& values, const Description& description) {
    using T = std::remove_cv_t<std::ranges::range_value_t<R>>;
    add_coordinate_(path, element_type_of<T>, std::ranges::data(values), std::ranges::size(values),
                    description, false);
  }
  /// The same, growing as coordinate values are appended with append(),
  /// e.g. `replicate`.
  template <ElementRange R>
  void add_dimension(std::string_view path, const R& values, const Description& description,
                     Unlimited) {
    using T = std::remove_cv_t<std::ranges::range_value_t<R>>;
    add_coordinate_(path, element_type_of<T>, std::ranges::data(values), std::ranges::size(values),
                    description, true);
  }

  bool is_dimension(std::string_view path) const;
  /// Names of a variable's dimensions, outermost first ("" for an axis
  /// without a dimension scale). A coordinate variable's is its own name.
  std::vector<std::string> dimensions(std::string_view path) const;

  // Variables --------------------------------------------------------------

  template <Element T>
  void create_variable(std::string_view path, const Layout& layout,
                       const Description& description) {
    create_variable_(path, element_type_of<T>, layout, description);
  }

  /// Current length along each dimension.
  Extent shape(std::string_view path) const;
  ElementType element_type(std::string_view path) const;

  /// Writes the block at `offset` of size `count` (row-major, last dimension
  /// fastest). Grows unlimited dimensions as needed.
  template <ElementRange R>
  void write(std::string_view path, const Extent& offset, const Extent& count, const R& data) {
    using T = std::remove_cv_t<std::ranges::range_value_t<R>>;
    write_(path, &offset, count, element_type_of<T>, std::ranges::data(data),
           std::ranges::size(data));
  }

  /// Writes a block of size `count` after the current end of the first,
  /// unlimited, dimension, e.g. one block of replicates or a batch of events.
  /// Returns the offset along the first dimension where the block went.
  template <ElementRange R>
  std::size_t append(std::string_view path, const Extent& count, const R& data) {
    using T = std::remove_cv_t<std::ranges::range_value_t<R>>;
    return write_(path, nullptr, count, element_type_of<T>, std::ranges::data(data),
                  std::ranges::size(data));
  }

  /// The whole variable, row-major, converted to T as HDF5 converts: values
  /// out of T's range saturate, floating point to integer truncates.
  template <Element T>
  std::vector<T> read(std::string_view path) const {
    std::vector<T> out;
    read_(path, nullptr, nullptr, element_type_of<T>, &out);
    return out;
  }

  /// The block at `offset` of size `count`, converted to T.
  template <Element T>
  std::vector<T> read(std::string_view path, const Extent& offset, const Extent& count) const {
    std::vector<T> out;
    read_(path, &offset, &count, element_type_of<T>, &out);
    return out;
  }

  /// Reads every attribute, every variable's dimensions and every value of
  /// every variable (in blocks of at most 16 MiB), so that HDF5 checks every
  /// checksum and Fletcher-32 every chunk, and the text digests are checked.
  /// Throws as the reads do. Returns the number of variables read.
  std::size_t read_everything() const;

  // Attributes (object "/" is the file) ------------------------------------

  /// Sets (or replaces) a string attribute.
  void set_attribute(std::string_view object, std::string_view name, std::string_view value);
  template <Number T>
  void set_attribute(std::string_view object, std::string_view name, T value) {
    set_attribute_(object, name, element_type_of<T>, &value, 1, true);
  }
  /// Sets (or replaces) a one-dimensional numeric attribute, e.g. flag_values.
  template <ElementRange R>
  requires Number<std::remove_cv_t<std::ranges::range_value_t<R>>>
  void set_attribute(std::string_view object, std::string_view name, const R& values) {
    using T = std::remove_cv_t<std::ranges::range_value_t<R>>;
    set_attribute_(object, name, element_type_of<T>, std::ranges::data(values),
                   std::ranges::size(values), false);
  }

  bool has_attribute(std::string_view object, std::string_view name) const;
  /// Attribute names in creation order where the file tracks it, without the
  /// bookkeeping of dimension scales and netCDF (CLASS, NAME, DIMENSION_LIST,
  /// REFERENCE_LIST, _Netcdf4Dimid, _Netcdf4Coordinates, _NCProperties).
  std::vector<std::string> attribute_names(std::string_view object) const;
  ElementType attribute_type(std::string_view object, std::string_view name) const;

  /// A one-element attribute, converted to T (std::string for text).
  template <Element T>
  T attribute(std::string_view object, std::string_view name) const {
    std::vector<T> values = attribute_values<T>(object, name);
    if (values.size() != 1) not_one_value_(object, name, values.size());
    return std::move(values.front());
  }
  /// Every element of an attribute, converted to T.
  template <Element T>
  std::vector<T> attribute_values(std::string_view object, std::string_view name) const {
    std::vector<T> out;
    read_attribute_(object, name, element_type_of<T>, &out);
    return out;
  }

 private:
  struct Impl;
  explicit H5File(std::unique_ptr<Impl> impl);
  Impl& impl() const;

  // Type-erased bodies of the templates above. `out` points to a
  // std::vector<T> with T matching `type`; `data` to `n` elements of it.
  void add_coordinate_(std::string_view path, ElementType type, const void* data, std::size_t n,
                       const Description& description, bool grows);
  void create_variable_(std::string_view path, ElementType type, const Layout& layout,
                        const Description& description);
  std::size_t write_(std::string_view path, const Extent* offset, const Extent& count,
                     ElementType type, const void* data, std::size_t n);
  void read_(std::string_view path, const Extent* offset, const Extent* count, ElementType type,
             void* out) const;
  void set_attribute_(std::string_view object, std::string_view name, ElementType type,
                      const void* data, std::size_t n, bool scalar);
  void read_attribute_(std::string_view object, std::string_view name, ElementType type,
                       void* out) const;
  void read_all_attributes_(const std::string& object) const;
  void read_all_values_(const std::string& variable) const;
  [[noreturn]] void not_one_value_(std::string_view object, std::string_view name,
                                   std::size_t n) const;

  std::unique_ptr<Impl> impl_;
};

}  // namespace regsim::io
