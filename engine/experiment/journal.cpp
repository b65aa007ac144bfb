#include "experiment/journal.hpp"
#include <sys/file.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <fmt/format.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include "io/h5_file.hpp"
#include "scenario/diagnostics.hpp"

namespace regsim::experiment {

namespace fs = std::filesystem;

fs::path parts_folder(const fs::path& output) { return output.string() + ".parts"; }

fs::path block_path(const fs::path& folder, Range r) {
  return folder / fmt::format("replicates-{:09}-{:09}.h5", r.first, r.end() - 1);
}

Journal read_journal(const std::vector<fs::path>& folders,
                     const std::optional<io::RunIdentity>& identity, bool check_content) {
  std::vector<fs::path> files;
  for (const fs::path& folder : folders) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) continue;
    for (const auto& entry : fs::directory_iterator(folder)) {
      const std::string name = entry.path().filename().string();
      if (name.starts_with("replicates-")) files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  Journal j;
  j.identity = identity;
  using Kind = JournalProblem::Kind;
  for (const fs::path& file : files) {
    if (file.extension() == ".partial") {
      j.problems.push_back({Kind::unfinished, file, "an unfinished block"});
      continue;
    }
    try {
      io::BlockHeader h = io::read_block_header(file);
      if (!j.identity) j.identity = h.identity;
      if (const std::string d = h.identity.difference(*j.identity); !d.empty()) {
        j.problems.push_back({Kind::foreign, file, "a block of another run: " + d});
        continue;
      }
      if (check_content) io::check_block(h);
      j.blocks.push_back(std::move(h));
    } catch (const scenario::InputError& e) {
      j.problems.push_back({Kind::damaged, file, e.diagnostics().front().message});
    } catch (const io::IoError& e) {
      j.problems.push_back({Kind::damaged, file, e.what()});
    }
  }
  std::stable_sort(j.blocks.begin(), j.blocks.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return j;
}

Coverage coverage(const std::vector<io::BlockHeader>& blocks, Range wanted) {
  Coverage c;
  std::uint64_t next = wanted.first;  // everything before is covered
  for (const io::BlockHeader& b : blocks) {
    const Range r{b.first, b.count};
    if (r.end() <= wanted.first || r.first >= wanted.end() || r.count == 0) continue;
    if (r.first < next) {
      const std::uint64_t last = std::min(next, r.end());
      c.duplicates.push_back({b, Range{r.first, last - r.first}});
      continue;
    }
    if (r.first > next) c.missing.push_back(Range{next, r.first - next});
    c.cover.push_back(b);
    next = r.end();
  }
  if (next < wanted.end()) c.missing.push_back(Range{next, wanted.end() - next});
  return c;
}

std::vector<Range> split(const std::vector<Range>& ranges, std::uint64_t size) {
  std::vector<Range> out;
  for (const Range& r : ranges) {
    for (std::uint64_t first = r.first; first < r.end(); first += size) {
      out.push_back(Range{first, std::min(size, r.end() - first)});
    }
  }
  return out;
}

std::uint64_t block_size(std::uint64_t replications, unsigned threads) {
  return std::max<std::uint64_t>(16ull * std::max(threads, 1u), (replications + 999) / 1000);
}

DiskNeed disk_need(const Experiment& e, std::uint64_t to_compute, bool assemble) {
  const io::ReportedValues shape(e.region, e.spec);
  const std::uint64_t nv = shape.variables().size(), nt = shape.months().size();
  const std::uint64_t nc = e.region.size(), ng = shape.groups().size();
  const std::uint64_t nk = e.goals.size(), nu = e.uncertainties.size();
  // Bytes of one replicate's rows besides its trajectories: aggregates,
  // goals (met, margin, first month; by group and city), sampled values,
  // digest and index coordinates, and the events (about 25 bytes each).
  constexpr std::uint64_t events_per_replicate = 2000, bytes_per_event = 25;
  const std::uint64_t rest = 4 * nv * nt * ng + nk * (1 + 8 + 4 + ng + nc) + 8 * (nu + 1) + 8 * 6 +
                             events_per_replicate * bytes_per_event;
  const std::uint64_t trajectories = 4 * nv * nt * nc;
  DiskNeed need;
  need.journal = to_compute * (trajectories + rest);
  if (assemble) {
    const std::uint64_t all = e.replications();
    const std::uint64_t kept = std::min(all, e.spec.keep_replicates.value_or(all));
    // Summaries: six statistics of every variable per city and per group.
    need.run_file = kept * trajectories + all * rest + 6 * 4 * nv * nt * (nc + ng);
  }
  return need;
}

Range shard_slice(std::uint64_t k, std::uint64_t n, std::uint64_t replications) {
  const std::uint64_t base = replications / n, extra = replications % n;
  const std::uint64_t i = k - 1;
  const std::uint64_t first = i * base + std::min(i, extra);
  return Range{first, base + (i < extra ? 1 : 0)};
}

void assemble(const Experiment& e, const std::vector<io::BlockHeader>& blocks,
              const fs::path& output, unsigned threads,
              const std::optional<io::StoppingRecord>& stopping) {
  io::OutputSpec spec = e.spec;
  spec.first_replicate = 0;
  io::RunMetadata meta = e.meta;
  meta.stopping = stopping;
  io::EnsembleWriter writer(output, e.region, spec, std::move(meta), e.uncertainties, e.goals,
                            /*force=*/true);
  for (const io::BlockHeader& b : blocks) {
    writer.append_block(b);
    crash_point();
  }
  tbb::task_arena arena(static_cast<int>(std::max(threads, 1u)));
  arena.execute([&] { writer.finish(); });
  crash_point();
}

JournalLock::JournalLock(const fs::path& folder, Mode mode) {
  fd_ = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd_ < 0) {
    throw io::IoError(fmt::format("cannot open the journal folder: {}", std::strerror(errno)),
                      folder.string(), "");
  }
  if (::flock(fd_, (mode == Mode::exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd_);
    fd_ = -1;
    throw scenario::InputError({scenario::file_problem(
        folder.string(),
        error == EWOULDBLOCK ? "another regsim run is writing this journal"
                             : fmt::format("cannot lock the journal: {}", std::strerror(error)),
        "one run per output file (wait for the other, or choose another -o)")});
  }
}

JournalLock::~JournalLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

void crash_point() {
  static const long crash_at = [] {
    const char* v = std::getenv("REGSIM_CRASH_AT");
    return v != nullptr ? std::strtol(v, nullptr, 10) : 0L;
  }();
  static std::atomic<long> calls{0};
  if (crash_at > 0 && ++calls == crash_at) std::raise(SIGKILL);
}

}  // namespace regsim::experiment
