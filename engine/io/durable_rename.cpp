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

void sync(const std::filesystem::path& p, int flags) {
  const int fd = ::open(p.c_str(), flags);
  if (fd < 0 || ::fsync(fd) != 0) {
    const int error = errno;
    if (fd >= 0) ::close(fd);
    throw IoError(fmt::format("cannot flush to disk: {}", std::strerror(error)), p.string(), "");
  }
  ::close(fd);
}

}  // namespace

void durable_rename(const std::filesystem::path& from, const std::filesystem::path& to) {
  sync(from, O_RDONLY);
  std::error_code ec;
  std::filesystem::rename(from, to, ec);
  if (ec) {
    throw IoError(fmt::format("cannot rename to {}: {}", to.string(), ec.message()), from.string(),
                  "");
  }
  sync(to.parent_path().empty() ? std::filesystem::path(".") : to.parent_path(),
       O_RDONLY | O_DIRECTORY);
}

}  // namespace regsim::io
