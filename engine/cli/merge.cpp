// `regsim merge DIR... -o OUT.h5`: assembles the run file from journal
// folders written by `regsim run --shard K/N` (a Slurm array) or left by
// ranks, after checking that every block belongs to the same run
// (scenario, seed, replications, regsim version, design), is complete
// (its content digest), and that together they cover every replication
// exactly once. Anything else is refused, naming the blocks and
// replications at fault (exit 2); nothing is written then.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "experiment/journal.hpp"
#include "experiment/stored_run.hpp"
#include "scenario/diagnostics.hpp"

namespace regsim::cli {

namespace {

namespace fs = std::filesystem;

using scenario::file_problem;

std::string replicates(experiment::Range r) {
  return r.count == 1 ? fmt::format("replication {}", r.first)
                      : fmt::format("replications {}..{}", r.first, r.end() - 1);
}

void merge(const std::vector<std::string>& dirs, const std::string& output, bool force,
           unsigned threads, const std::string& command_line) {
  std::vector<scenario::Diagnostic> problems;
  std::vector<fs::path> folders;
  for (const auto& d : dirs) {
    if (!fs::is_directory(d)) {
      problems.push_back(
          file_problem(d, "not a folder", "a journal folder written by `regsim run`"));
    }
    folders.emplace_back(d);
  }
  if (!problems.empty()) throw scenario::InputError(std::move(problems));
  if (fs::exists(output) && !force) {
    problems.push_back(file_problem(output, "output file exists; not replacing it",
                                    "a new file name, or --force to replace it"));
    throw scenario::InputError(std::move(problems));
  }
  const experiment::Journal j = experiment::read_journal(folders, std::nullopt, true);
  for (const auto& p : j.problems) {
    using Kind = experiment::JournalProblem::Kind;
    problems.push_back(file_problem(
        p.file.string(), p.what,
        p.kind == Kind::unfinished ? "finished blocks only (is a shard still running?)"
        : p.kind == Kind::foreign  ? "blocks of one run only"
                                   : "a complete block (run its shard again with the same flags)"));
  }
  if (!j.identity) {
    problems.push_back(file_problem(dirs.front(), "no journal blocks here",
                                    "folders written by `regsim run --shard K/N -o DIR`"));
    throw scenario::InputError(std::move(problems));
  }
  const experiment::Experiment e = experiment::prepare(
      experiment::load_resolved(j.identity->scenario_yaml, "merged"), command_line);
  if (const std::string d = j.identity->difference(e.identity()); !d.empty()) {
    // Blocks of another regsim version, or a design file edited since.
    problems.push_back(
        file_problem(j.blocks.empty() ? dirs.front() : j.blocks.front().path.string(),
                     "the blocks were made by another run than this regsim would make: " + d,
                     "the regsim version and design file the shards used"));
  }
  const experiment::Coverage c = experiment::coverage(j.blocks, {0, e.replications()});
  for (const auto& r : c.missing) {
    problems.push_back(file_problem(dirs.front(), fmt::format("{} missing", replicates(r)),
                                    fmt::format("every replication 0..{} once (a shard not run, or "
                                                "one of its blocks unusable)",
                                                e.replications() - 1)));
  }
  for (const auto& [block, r] : c.duplicates) {
    problems.push_back(file_problem(block.path.string(), fmt::format("{} twice", replicates(r)),
                                    "each replication in one block only (the same shard merged "
                                    "twice, or two folders of one shard?)"));
  }
  if (!problems.empty()) throw scenario::InputError(std::move(problems));
  experiment::assemble(e, c.cover, output, threads);
  std::cerr << fmt::format("regsim: wrote {} ({} replications of '{}' from {} blocks)\n", output,
                           e.replications(), e.scenario.name, c.cover.size());
}

}  // namespace

void register_merge(CLI::App& app, const std::string& command_line) {
  auto* cmd = app.add_subcommand(
      "merge", "Assemble one run file from the journal folders of `regsim run --shard K/N`");
  struct Options {
    std::vector<std::string> dirs;
    std::string output;
    bool force = false;
    unsigned threads = 1;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("dirs", o->dirs, "journal folders (-o DIR of the shards)")->required();
  cmd->add_option("-o,--output", o->output, "the run file to write")->required();
  cmd->add_flag("--force", o->force, "replace an existing output file");
  cmd->add_option("-j,--threads", o->threads, "threads for the summaries (default 1)")
      ->check(CLI::Range(1u, 1024u));
  cmd->callback(
      [o, command_line] { merge(o->dirs, o->output, o->force, o->threads, command_line); });
}

}  // namespace regsim::cli
