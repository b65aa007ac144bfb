// `regsim verify OUT.h5 [--sample K]`: reads every stored value (checksums),
// then re-runs K replications (spread over the file) from the scenario
// embedded in it and compares each one's digest with the stored one. Exit 0
// if all match, 2 if the file is damaged, 3 if any replication differs.
#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "experiment/replication.hpp"
#include "experiment/stored_run.hpp"

namespace regsim::cli {

namespace {

void verify(const std::string& path, std::uint64_t sample) {
  const experiment::StoredRun run = experiment::open_stored_run(path);
  // Every stored value first: a damaged chunk fails its Fletcher-32 checksum.
  const std::size_t variables = run.file.read_everything();
  std::cout << fmt::format("{}: {} variables read back, every checksum sound\n", path, variables);
  const std::uint64_t n = run.digests.size();
  const std::uint64_t k = std::min<std::uint64_t>(sample, n);
  std::uint64_t mismatches = 0;
  for (std::uint64_t i = 0; i < k; ++i) {
    const std::uint64_t row = k == 1 ? 0 : i * (n - 1) / (k - 1);  // spread over the file
    const auto r = static_cast<std::uint64_t>(run.replicates[row]);
    const experiment::Replication rep =
        experiment::compute_replication(run.scenario, run.region, run.config, r);
    const std::uint64_t digest = rep.digest;
    const std::string inputs = experiment::recorded_inputs_differ(run, row, rep);
    const bool ok = digest == run.digests[row] && inputs.empty();
    mismatches += ok ? 0 : 1;
    std::cout << fmt::format("replicate {:>6}: {:016x} {}\n", r, digest,
                             ok ? "matches"
                                : fmt::format("DIFFERS (stored {:016x}{})", run.digests[row],
                                              inputs.empty() ? "" : "; inputs: " + inputs));
  }
  if (mismatches > 0) {
    throw Mismatch(fmt::format("{} of {} replications differ from {}", mismatches, k, path));
  }
  std::cout << fmt::format("{}: {} of {} replications reproduced exactly\n", path, k, n);
}

}  // namespace

void register_verify(CLI::App& app) {
  auto* cmd = app.add_subcommand("verify", "Re-run a sample of a file's replications and compare");
  struct Options {
    std::string file;
    std::uint64_t sample = 3;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("file", o->file, "output of `regsim run`")->required();
  cmd->add_option("--sample", o->sample, "replications to re-run (default 3)")
      ->check(CLI::Range(1ull, 1000000ull));
  cmd->callback([o] { verify(o->file, o->sample); });
}

}  // namespace regsim::cli
