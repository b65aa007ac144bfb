#include "io/durable_rename.hpp"

#include <cerrno>
#include <cstring>
#include <system_error>

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include "io/h5_file.hpp"

namespace regsim::io {

namespace {

// fsync of a file or, with O_DIRECTORY, of a folder's entries.
void flush_to_disk(const std::filesystem::path& p, int flags) {
  const int fd = ::open(p.c_str(), flags);
  const bool ok = fd >= 0 && ::fsync(fd) == 0;
  const int error = errno;
  if (fd >= 0) ::close(fd);
  if (!ok)
    throw IoError(fmt::format("cannot flush to disk: {}", std::strerror(error)), p.string(), "");
}

}  // namespace

void durable_rename(const std::filesystem::path& from, const std::filesystem::path& to) {
  flush_to_disk(from, O_RDONLY);
  std::error_code ec;
  std::filesystem::rename(from, to, ec);
  if (ec) {
    throw IoError(fmt::format("cannot rename to {}: {}", to.string(), ec.message()), from.string(),
                  "");
  }
  const auto folder = to.parent_path().empty() ? std::filesystem::path(".") : to.parent_path();
  flush_to_disk(folder, O_RDONLY | O_DIRECTORY);
}

}  // namespace regsim::io
