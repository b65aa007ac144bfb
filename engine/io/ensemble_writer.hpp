// Writes an ensemble of replications into one self-describing HDF5 file
// (DESIGN §5), netCDF-4 compatible so that xarray, h5py and ncdump read it
// without regsim. The file is written as OUT.h5.partial, flushed to disk
// (fsync) and renamed to OUT.h5 only by finish(), so a failed or
// interrupted run never leaves a file that looks complete. Replicates must
// be written in order.
//
// Two kinds of file share the layout: a run file, and a journal block
// (one contiguous slice of a run's replicates, every trajectory kept, no
// summaries), from which a run file is assembled (append_block). The
// summaries of an assembled run cover every replicate in its blocks,
// whatever the run keeps.
//
//   /                       attributes: version, git revision, created, seed,
//                           command line, scenario name and resolved YAML
//   /replicate /city /time /group /statistic   dimensions (coordinates);
//                           every group below holds its own copy of those
//                           its variables use, so that each opens labelled
//   /city_* /lat /lon ...   per-city metadata along `city`
//   /trajectories/<var>     float32 [replicate, city, time]
//   /aggregates/<var>       float32 [replicate, group, time]
//   /summary/<var>          float32 [statistic, city, time]   (over replicates)
//   /summary_groups/<var>   float32 [statistic, group, time]
//   /events/*               columns along `event`
//   /goals/*                per replicate and per goal (and per group and
//                           city), the goals' definitions and probabilities
//   /policies/*             the scenario's policies, named by the event log:
//                           lever, window, cities, values, trigger, source
//   /uncertainties/value    [replicate, uncertainty]
//   /uncertainties/design_row  int64 [replicate], with a design file
//   /checksums/digest       uint64 [replicate]
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/calendar.hpp"
#include "model/city_catalogue.hpp"
#include "model/groups.hpp"
#include "model/indicators.hpp"
#include "model/simulation.hpp"
#include "scenario/outcomes.hpp"

namespace regsim::io {

struct OutputSpec {
  scenario::Resolution resolution = scenario::Resolution::annual;
  std::vector<model::Indicator> variables;       ///< empty: every indicator
  std::optional<std::uint64_t> keep_replicates;  ///< trajectories of the first N; none: all
  std::uint32_t first_month = 0;                 ///< first reported month, months since 2013-01
  std::uint32_t months = model::default_months;  ///< simulated months since 2013-01
  /// Replication index of the first replicate written: a replay of
  /// replicate R writes R alone, under its own index.
  std::uint64_t first_replicate = 0;
  /// zlib level of the per-replicate variables (0: stored raw).
  int deflate = 4;
  /// Bytes of replicate values the summaries read at once: a variable is
  /// summarised in slices of cities (at least one) that fit.
  std::size_t summary_memory = std::size_t{1} << 30;
};

/// A goal as the file describes it beside its results, so that readers
/// need not parse the scenario: "unemployment_rate below 0.05 at 2035-12".
struct GoalDefinition {
  std::string indicator, unit;
  std::string timing;      ///< "at" or "by"
  std::string date;        ///< YYYY-MM
  std::string comparison;  ///< "below", "above", "between"
  double threshold = 0.0;
  double upper = 0.0;       ///< between: [threshold, upper]; else NaN
  std::string aggregation;  ///< "sum", "mean", "every", "share_of_cities"
  double share = 0.0;       ///< share_of_cities: the share that must meet it; else NaN
  std::string where;        ///< the selector as text, "all" for every city
  std::string source;       ///< the plan clause, or ""
};

/// A scenario policy as the file describes it, so that readers need not
/// parse the scenario; named by the event log's policy and trigger entries.
struct PolicyDefinition {
  std::string name, lever, source;
  std::string from;   ///< first month of the window (YYYY-MM)
  std::string to;     ///< last month of the window (YYYY-MM); "": open
  std::string where;  ///< the selector as text, "all" for every city
  std::string set;    ///< the lever's values as written: "name=value, ..."
  /// The trigger, if any: the indicator ("" without), "above" or "below",
  /// the threshold, the months it must hold and whether it re-arms.
  std::string trigger_indicator, trigger_comparison;
  double trigger_threshold = 0.0;
  std::int32_t trigger_months = 0;
  bool trigger_rearm = false;
};

/// Why a run with `replications: auto` stopped, recorded by the run file
/// it assembles as root attributes (README, "Replications until precise").
struct StoppingRecord {
  std::string reason;  ///< "precision reached" or "cap reached"
  std::string goals;   ///< the goals judged, "name=half-width" each, comma-separated
  double target_half_width = 0.0;
  double achieved_half_width = 0.0;  ///< the widest of the goals judged
  std::uint64_t batch = 0, max_replications = 0;
};

struct RunMetadata {
  std::string scenario_name;
  std::string scenario_yaml;  ///< the fully resolved scenario
  std::string command_line;
  std::string version;
  std::string git_revision;
  std::uint64_t seed = 0;
  std::uint64_t replications = 0;
  /// Optional descriptions, in the order of the names given to the writer.
  std::vector<GoalDefinition> goals;
  std::vector<std::string> uncertainty_units;
  /// Which uncertainties a design file gives (1) rather than a sampler (0);
  /// empty: all sampled.
  std::vector<std::uint8_t> uncertainty_from_design;
  /// The design file the replicates take rows from (absolute); empty: none.
  std::string design_file;
  /// A digest of the design file's bytes (0: no design), so that blocks
  /// computed from an edited design are foreign to the run.
  std::uint64_t design_digest = 0;
  std::vector<PolicyDefinition> policies;
  /// Set on an auto run's run file only (not part of its identity).
  std::optional<StoppingRecord> stopping;
};

/// What one replication contributes to the file.
struct ReplicateRecord {
  std::uint64_t replicate = 0;
  const model::ReplicationResult* result = nullptr;
  std::vector<double> uncertainty_values;   ///< in the order of the names given to the writer
  std::vector<scenario::GoalResult> goals;  ///< in the order of the goal names
  /// Optional, computed by the caller in parallel: replicate_digest() and
  /// ReportedValues; the writer computes what is missing (from `result`).
  std::uint64_t digest = 0;
  std::vector<float> trajectories, aggregates;
  /// Optional: each goal within each group and city, 0 missed, 1 met, 2
  /// not applicable ([goal][group] in make_groups() order, [goal][city]).
  std::vector<std::uint8_t> goals_by_group, goals_by_city;
  /// The row of RunMetadata::design_file the replicate used (-1: none).
  std::int64_t design_row = -1;
};

/// What EnsembleWriter::write() stores of a replication at the file's time
/// steps, as float32. Workers compute it in parallel, so that a
/// replication's monthly trajectories can be freed before it is queued.
class ReportedValues {
 public:
  ReportedValues(const model::CityCatalogue& region, const OutputSpec& spec);
  /// [variable][city][time]
  std::vector<float> trajectories(const model::ReplicationResult& result) const;
  /// [variable][group][time]
  std::vector<float> aggregates(const model::ReplicationResult& result) const;

  const std::vector<model::CityGroup>& groups() const { return groups_; }
  const std::vector<std::uint32_t>& months() const { return months_; }  ///< the time steps
  const std::vector<model::Indicator>& variables() const { return variables_; }

 private:
  std::size_t cities_;
  std::vector<model::CityGroup> groups_;
  std::vector<std::uint32_t> months_;
  std::vector<model::Indicator> variables_;
};

/// What makes replicates parts of one run: journal blocks, shards and ranks
/// of a run agree on all of it.
struct RunIdentity {
  std::string scenario_yaml;  ///< the resolved scenario (overrides applied)
  std::uint64_t seed = 0;
  std::uint64_t replications = 0;  ///< planned
  std::string version, git_revision;
  std::uint64_t design_digest = 0;

  /// The first field in which `other` differs, e.g. "seed (7 here, 8 there)";
  /// empty if they agree.
  std::string difference(const RunIdentity& other) const;
};
RunIdentity identity_of(const RunMetadata& meta);

/// A complete journal block as found on disk.
struct BlockHeader {
  std::filesystem::path path;
  RunIdentity identity;
  std::uint64_t first = 0;  ///< replication index of its first replicate
  std::uint64_t count = 0;  ///< replicates, first .. first + count - 1
  std::uint64_t content_digest = 0;
};

/// Reads a journal block's header. InputError (naming the file) if it is
/// not a complete regsim journal block: unreadable, truncated, a run file.
BlockHeader read_block_header(const std::filesystem::path& path);
/// Reads every row of a block and checks its content digest; InputError
/// naming the block if it is damaged.
void check_block(const BlockHeader& block);

/// Names of the model::LogKind values, stored as /events/kind's flag_meanings.
inline constexpr std::array<std::string_view, 6> event_kind_names{
    "trigger", "mine_closure", "reclassification", "discovery", "policy", "park_opening"};

/// A digest of one replication's results (trajectories and event log),
/// the same for any thread, rank or shard count that produced it. Never 0,
/// which ReplicateRecord::digest uses for "not computed".
std::uint64_t replicate_digest(const model::ReplicationResult& r);

class EnsembleWriter {
 public:
  enum class Kind { run_file, journal_block };
  /// Creates `path`.partial (replacing one left by a failed attempt).
  /// Refuses (InputError) to replace an existing `path` unless `force`. A
  /// journal block keeps every replicate's trajectories.
  EnsembleWriter(std::filesystem::path path, const model::CityCatalogue& region, OutputSpec spec,
                 RunMetadata meta, std::vector<std::string> uncertainty_names,
                 std::vector<std::string> goal_names, bool force, Kind kind = Kind::run_file);
  EnsembleWriter(EnsembleWriter&&) noexcept;
  EnsembleWriter& operator=(EnsembleWriter&&) noexcept;
  EnsembleWriter(const EnsembleWriter&) = delete;
  EnsembleWriter& operator=(const EnsembleWriter&) = delete;
  /// Closes the partial file, leaving it there, if finish() was not called.
  ~EnsembleWriter();

  /// Whether write() stores this replicate's trajectories (else it needs
  /// only the record's digest, aggregates and events).
  bool keeps_trajectories(std::uint64_t replicate) const;
  /// Appends one replicate (replicates must come in order first_replicate,
  /// first_replicate + 1, ...).
  /// The replicate index is appended last, so `replicate` counts only
  /// replicates written whole.
  void write(const ReplicateRecord& record);
  /// Appends the rows of a journal block of the same run, which the caller
  /// has checked (check_block: a journal's blocks are checked when it is
  /// read). Its first replicate must be replicates_written() +
  /// first_replicate.
  void append_block(const BlockHeader& block);
  /// A run file: writes summaries (over the appended blocks' replicates,
  /// or over the kept trajectories written here) and goal probabilities.
  /// A journal block: records its content digest. Then, for both, closes
  /// the file, flushes it to disk and renames it into place.
  void finish();

  std::uint64_t replicates_written() const;
  const std::filesystem::path& partial_path() const;
  /// The reported months (months since 2013-01), one per time step.
  const std::vector<std::uint32_t>& time_months() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace regsim::io
