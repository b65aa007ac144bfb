// Raw HDF5 helpers for io/*.cpp only (never included by a public header): an
// owning identifier, the calling thread's error stack as text, quieting
// HDF5's own printing so that errors travel as exceptions, and a shutdown
// that survives a failed close.
#pragma once

#include <atomic>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include <hdf5.h>
#include <hdf5_hl.h>

namespace regsim::io::detail {

/// Set once an HDF5 close has failed. HDF5 1.10 then frees the object but
/// keeps its identifier, so closing it again is a use after free.
inline std::atomic<bool>& close_failed() {
  static std::atomic<bool> failed{false};
  return failed;
}

/// Owns one HDF5 identifier (file, group, dataset, attribute, dataspace,
/// datatype or property list) and releases it once.
class Handle {
 public:
  Handle() = default;
  explicit Handle(hid_t id) : id_(id) {}
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }

  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  hid_t release() { return std::exchange(id_, H5I_INVALID_HID); }
  /// Releases the identifier now. False if HDF5 failed to close the object:
  /// closing a dataset or a file writes what HDF5 still holds for it, which
  /// fails when the disk is full.
  bool close() {
    if (id_ < 0) return true;
    if (H5Idec_ref(release()) >= 0) return true;
    close_failed() = true;
    return false;
  }
  void reset() { close(); }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

/// One error record of HDF5's stack.
struct ErrorRecord {
  std::string function;     ///< "H5Dopen2"
  std::string description;  ///< "unable to open dataset"
  std::string major;        ///< "Dataset"
  std::string minor;        ///< "Object not found"
};

namespace impl {
inline herr_t collect_record(unsigned, const H5E_error2_t* e, void* out) {
  auto message = [](hid_t id) {
    char text[256] = {};
    if (H5Eget_msg(id, nullptr, text, sizeof text) < 0) return std::string();
    return std::string(text);
  };
  std::string description = e->desc ? e->desc : "";
  // Some records span lines ("time = ...\n, name = ..."): keep one per line.
  for (std::size_t k; (k = description.find('\n')) != std::string::npos;) {
    description.erase(k, 1);
  }
  static_cast<std::vector<ErrorRecord>*>(out)->push_back(
      {e->func_name ? e->func_name : "", std::move(description), message(e->maj_num),
       message(e->min_num)});
  return 0;
}
}  // namespace impl

/// Takes (and clears) the calling thread's HDF5 error stack, outermost call
/// first. Call right after the failing HDF5 call: every API call clears it.
inline std::vector<ErrorRecord> take_error_stack() {
  std::vector<ErrorRecord> records;
  const hid_t stack = H5Eget_current_stack();
  if (stack < 0) return records;
  H5Ewalk2(stack, H5E_WALK_DOWNWARD, impl::collect_record, &records);
  H5Eclose_stack(stack);
  return records;
}

/// Turns off HDF5's printing of errors to stderr for the calling thread (the
/// setting is per thread in a thread-safe build, as Debian's is).
inline void quiet_errors() {
  thread_local bool quiet = false;
  if (!quiet) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    quiet = true;
  }
}

/// Call before any other HDF5 call. HDF5 shuts down at exit by closing every
/// identifier still open, which after a failed close means the freed object
/// (a segfault once the error has been reported). So HDF5 shuts down from
/// our own exit handler instead, unless a close has failed: the process is
/// ending, and whatever could be written was. If HDF5 has already been
/// started, its own handler stays.
inline void enter_library() {
  static const bool own_shutdown = [] {
    if (H5dont_atexit() < 0) return false;
    return std::atexit([] {
             if (!close_failed()) H5close();
           }) == 0;
  }();
  (void)own_shutdown;
  quiet_errors();
}

}  // namespace regsim::io::detail
