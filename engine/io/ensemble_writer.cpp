#include "io/ensemble_writer.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>
#include <functional>
#include <initializer_list>
#include <limits>
#include <map>
#include <system_error>
#include <tuple>
#include <type_traits>
#include <utility>

#include <fcntl.h>
#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <unistd.h>

#include "des/random_stream.hpp"
#include "io/durable_rename.hpp"
#include "io/h5_file.hpp"
#include "scenario/diagnostics.hpp"
#include "scenario/statistics.hpp"

namespace regsim::io {

namespace {

using model::Indicator;

static_assert(static_cast<std::size_t>(model::LogKind::park_opening) + 1 == event_kind_names.size(),
              "one name per model::LogKind");

constexpr const char* statistics[] = {"mean", "p05", "p25", "p50", "p75", "p95"};
constexpr double quantiles[] = {0.05, 0.25, 0.50, 0.75, 0.95};

// Days from 2013-01-01 to the first day of month m (months since 2013-01):
// CF time units that xarray decodes without cftime.
double days_since_2013(std::uint32_t m) {
  using namespace std::chrono;
  const year_month_day start{year{2013}, month{1}, day{1}};
  const year_month_day at{year{2013 + static_cast<int>(m / 12)}, month{m % 12 + 1}, day{1}};
  return static_cast<double>((sys_days{at} - sys_days{start}).count());
}

std::vector<std::uint32_t> reported_months(const OutputSpec& spec) {
  const std::uint32_t step = spec.resolution == scenario::Resolution::annual      ? 12
                             : spec.resolution == scenario::Resolution::quarterly ? 3
                                                                                  : 1;
  std::vector<std::uint32_t> out;
  for (std::uint32_t m = spec.first_month; m < spec.months; ++m) {
    if ((m + 1) % step == 0) out.push_back(m);  // the last month of each period
  }
  return out;
}

// The variables a file holds: those asked for, or every indicator.
std::vector<Indicator> variables_of(const OutputSpec& spec) {
  std::vector<Indicator> out = spec.variables;
  if (out.empty()) {
    for (std::size_t i = 0; i < model::indicator_count; ++i)
      out.push_back(static_cast<Indicator>(i));
  }
  return out;
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// One column of a definitions table (/goals, /policies): get(row) of each
// row, along `dim`; numbers have units "1" (the table says which unit).
template <class T, class Rows, class Get>
void write_column(H5File& f, const std::string& path, const std::string& dim,
                  const std::string& long_name, const Rows& rows, Get get) {
  std::vector<T> v;
  for (const auto& row : rows) v.push_back(static_cast<T>(get(row)));
  f.create_variable<T>(path, {{dim}}, {long_name, std::is_same_v<T, std::string> ? "" : "1"});
  f.write(path, {0}, {v.size()}, v);
}

// Calls f(T{}) with the C++ type of a numeric element type.
template <class F>
void visit_number_type(ElementType type, F&& f) {
  switch (type) {
    case ElementType::uint8:
      return f(std::uint8_t{});
    case ElementType::int32:
      return f(std::int32_t{});
    case ElementType::int64:
      return f(std::int64_t{});
    case ElementType::uint64:
      return f(std::uint64_t{});
    case ElementType::float32:
      return f(float{});
    case ElementType::float64:
      return f(double{});
    default:
      throw std::logic_error("not a numeric element type");
  }
}

// The digest of one variable of a journal block: its name, its bytes in
// row-major order, then its shape. Fed in pieces of any size, so that the
// rows as the writer writes them and the variable read whole digest alike.
class VariableDigest {
 public:
  explicit VariableDigest(std::string_view path) {
    for (const char ch : path) h_ = des::mix64(h_ ^ static_cast<unsigned char>(ch));
  }
  void absorb(const void* data, std::size_t size) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    std::size_t i = 0;
    for (; filled_ != 0 && i < size; ++i) push(bytes[i]);
    // Whole words at once: memcpy reads them as push() would byte by byte
    // (little-endian, as every machine regsim builds on).
    static_assert(std::endian::native == std::endian::little);
    for (; i + 8 <= size; i += 8) {
      std::uint64_t word;
      std::memcpy(&word, bytes + i, 8);
      h_ = des::mix64(h_ ^ word);
    }
    for (; i < size; ++i) push(bytes[i]);
  }
  std::uint64_t finish(const Extent& shape) const {
    std::uint64_t h = des::mix64(h_ ^ word_ ^ (std::uint64_t{filled_} << 56));
    for (const std::size_t n : shape) h = des::mix64(h ^ n);
    return h;
  }

 private:
  void push(unsigned char byte) {
    word_ |= std::uint64_t{byte} << (8 * filled_);
    if (++filled_ == 8) {
      h_ = des::mix64(h_ ^ word_);
      word_ = 0;
      filled_ = 0;
    }
  }

  std::uint64_t h_ = 0x6a09e667f3bcc908ull, word_ = 0;
  unsigned filled_ = 0;
};

[[noreturn]] void refuse_block(const std::filesystem::path& path, const std::string& message) {
  throw scenario::InputError({scenario::file_problem(
      path.string(), message, "a complete journal block written by `regsim run`")});
}

// A block's row variables, as it lists them.
std::vector<std::string> row_variables_of(const H5File& block) {
  std::vector<std::string> out;
  if (!block.has_attribute("/", "row_variables")) return out;
  const std::string list = block.attribute<std::string>("/", "row_variables");
  std::size_t from = 0;
  while (from <= list.size()) {
    const std::size_t to = std::min(list.find('\n', from), list.size());
    out.push_back(list.substr(from, to - from));
    from = to + 1;
  }
  return out;
}

// A block's content digest as read from the file: the sum of its
// variables' digests (what finish() computed as the rows were written).
std::uint64_t content_digest(const H5File& block, const std::vector<std::string>& variables) {
  std::uint64_t digest = 0;
  for (const std::string& v : variables) {
    if (block.kind(v) != ObjectKind::variable) {
      refuse_block(block.path(), fmt::format("damaged: no variable {}", v));
    }
    const Extent shape = block.shape(v);
    const ElementType type = block.element_type(v);
    if (type == ElementType::string || type == ElementType::other) {
      refuse_block(block.path(), fmt::format("damaged: {} is not numeric", v));
    }
    visit_number_type(type, [&](auto zero) {
      const auto values = block.read<decltype(zero)>(v);
      VariableDigest d(v);
      d.absorb(values.data(), values.size() * sizeof(zero));
      digest += d.finish(shape);
    });
  }
  return digest;
}

}  // namespace

std::string RunIdentity::difference(const RunIdentity& o) const {
  if (scenario_yaml != o.scenario_yaml) return "scenario (the resolved scenario text differs)";
  const auto differ = [](const char* what, const auto& a, const auto& b) {
    return fmt::format("{} ({} here, {} there)", what, a, b);
  };
  if (seed != o.seed) return differ("seed", seed, o.seed);
  if (replications != o.replications) return differ("replications", replications, o.replications);
  if (version != o.version) return differ("regsim version", version, o.version);
  if (git_revision != o.git_revision) return differ("git revision", git_revision, o.git_revision);
  if (design_digest != o.design_digest) {
    return differ("design file digest", fmt::format("{:016x}", design_digest),
                  fmt::format("{:016x}", o.design_digest));
  }
  return {};
}

RunIdentity identity_of(const RunMetadata& m) {
  return RunIdentity{m.scenario_yaml, m.seed,         m.replications,
                     m.version,       m.git_revision, m.design_digest};
}

BlockHeader read_block_header(const std::filesystem::path& path) {
  H5File f = H5File::open(path);  // InputError if missing, not HDF5 or truncated
  for (const char* a :
       {"journal_block_first", "journal_block_count", "content_digest", "scenario_yaml", "seed",
        "replications_planned", "regsim_version", "git_revision", "design_digest", "complete"}) {
    if (!f.has_attribute("/", a)) {
      refuse_block(path, fmt::format("not a complete journal block (no attribute '{}')", a));
    }
  }
  if (f.attribute<std::int32_t>("/", "complete") != 1) {
    refuse_block(path, "not a complete journal block");
  }
  BlockHeader h;
  h.path = path;
  h.identity = RunIdentity{f.attribute<std::string>("/", "scenario_yaml"),
                           f.attribute<std::uint64_t>("/", "seed"),
                           f.attribute<std::uint64_t>("/", "replications_planned"),
                           f.attribute<std::string>("/", "regsim_version"),
                           f.attribute<std::string>("/", "git_revision"),
                           f.attribute<std::uint64_t>("/", "design_digest")};
  h.first = f.attribute<std::uint64_t>("/", "journal_block_first");
  h.count = f.attribute<std::uint64_t>("/", "journal_block_count");
  h.content_digest = f.attribute<std::uint64_t>("/", "content_digest");
  return h;
}

std::uint64_t replicate_digest(const model::ReplicationResult& r) {
  // Four independent lanes, so the hash is not one long chain of dependent
  // multiplications; combined in a fixed order at the end.
  const auto& t = r.trajectories;
  std::uint64_t lane[4] = {des::mix64(t.cities() * 0x9e3779b97f4a7c15ull + t.months()),
                           0x243f6a8885a308d3ull, 0x13198a2e03707344ull, 0xa4093822299f31d0ull};
  std::size_t k = 0;
  for (std::size_t i = 0; i < model::indicator_count; ++i) {
    for (std::size_t c = 0; c < t.cities(); ++c) {
      for (std::size_t m = 0; m < t.months(); ++m, ++k) {
        std::uint64_t& h = lane[k & 3];
        h = des::mix64(h ^ std::bit_cast<std::uint64_t>(t.at(static_cast<Indicator>(i), c, m)));
      }
    }
  }
  std::uint64_t h = des::mix64(lane[0] ^ des::mix64(lane[1] ^ des::mix64(lane[2] ^ lane[3])));
  for (const auto& e : r.events) {
    h = des::mix64(h ^ std::bit_cast<std::uint64_t>(e.time_months));
    h = des::mix64(h ^ (std::uint64_t{e.city} << 8 | static_cast<std::uint64_t>(e.kind)));
    h = des::mix64(h ^ std::bit_cast<std::uint64_t>(e.value));
  }
  return h != 0 ? h : 1;
}

struct EnsembleWriter::Impl {
  std::filesystem::path path, partial;
  const model::CityCatalogue& region;
  OutputSpec spec;
  RunMetadata meta;
  Kind kind;
  std::vector<std::string> uncertainties, goals;
  ReportedValues values;  ///< and the groups, time steps and variables it reports
  const std::vector<model::CityGroup>& groups = values.groups();
  const std::vector<std::uint32_t>& months = values.months();
  const std::vector<Indicator>& variables = values.variables();
  H5File file;
  std::uint64_t written = 0;
  std::vector<BlockHeader> blocks;                ///< appended, in order
  std::map<std::string, VariableDigest> digests;  ///< a journal block's, as written

  Impl(std::filesystem::path p, const model::CityCatalogue& r, OutputSpec s, RunMetadata m,
       std::vector<std::string> u, std::vector<std::string> g, Kind k)
      : path(std::move(p)),
        partial(path.string() + ".partial"),
        region(r),
        spec(std::move(s)),
        meta(std::move(m)),
        kind(k),
        uncertainties(std::move(u)),
        goals(std::move(g)),
        values(r, spec),
        file(H5File::create(partial)) {
    if (kind == Kind::journal_block) spec.keep_replicates.reset();
  }

  bool keeps(std::uint64_t replicate) const {
    return !spec.keep_replicates || replicate < *spec.keep_replicates;
  }
  // The layout of a per-replicate variable: chunks of one replicate.
  Layout rows(std::vector<std::string> dims, Extent chunk = {}) const {
    return Layout{std::move(dims), std::move(chunk), spec.deflate};
  }

  // The variables with a row per replicate (or per event): what a block
  // holds of its replicates and what append_block() copies.
  std::vector<std::string> row_variables() const;

  // Writes (appends) rows of a row variable; a journal block digests them
  // on the way, so finish() need not read them back.
  template <class T>
  void put_rows(const std::string& variable, const Extent& offset, const Extent& count,
                const std::vector<T>& data) {
    file.write(variable, offset, count, data);
    digest(variable, data);
  }
  template <class T>
  void append_rows(const std::string& variable, const Extent& count, const std::vector<T>& data) {
    file.append(variable, count, data);
    digest(variable, data);
  }
  template <class T>
  void digest(const std::string& variable, const std::vector<T>& data) {
    if (kind != Kind::journal_block) return;
    digests.try_emplace(variable, variable)
        .first->second.absorb(data.data(), data.size() * sizeof(T));
  }

  void write_layout();
  // Writes the coordinate variable of each dimension into `group` (the
  // root, or a group whose variables use them): netCDF resolves a
  // dimension in a variable's own group first, so every group opens
  // labelled in xarray. A group's `replicate` grows with its rows.
  void add_coordinates(const std::string& group, std::initializer_list<std::string_view> dims);
  // The groups with a row per replicate, each with its own `replicate`.
  std::vector<std::string> replicate_coordinates() const;
  void write_city_metadata();
  void write_summaries();
  void write_goal_definitions();
  void write_policy_definitions();
  void write_goal_probabilities();
};

EnsembleWriter::EnsembleWriter(std::filesystem::path path, const model::CityCatalogue& region,
                               OutputSpec spec, RunMetadata meta,
                               std::vector<std::string> uncertainty_names,
                               std::vector<std::string> goal_names, bool force, Kind kind) {
  if (std::filesystem::exists(path) && !force) {
    throw scenario::InputError(
        {scenario::file_problem(path.string(), "output file exists; not replacing it",
                                "a new file name, or --force to replace it")});
  }
  impl_ = std::make_unique<Impl>(std::move(path), region, std::move(spec), std::move(meta),
                                 std::move(uncertainty_names), std::move(goal_names), kind);
  impl_->write_layout();
}

EnsembleWriter::EnsembleWriter(EnsembleWriter&&) noexcept = default;
EnsembleWriter& EnsembleWriter::operator=(EnsembleWriter&&) noexcept = default;
EnsembleWriter::~EnsembleWriter() = default;

std::vector<std::string> EnsembleWriter::Impl::row_variables() const {
  std::vector<std::string> out;
  for (Indicator i : variables) out.push_back("/trajectories/" + std::string(model::spec(i).name));
  for (Indicator i : variables) out.push_back("/aggregates/" + std::string(model::spec(i).name));
  for (const char* v : {"replicate", "month", "city", "kind", "value"}) {
    out.push_back(std::string("/events/") + v);
  }
  out.emplace_back("/checksums/digest");
  if (!uncertainties.empty()) {
    out.emplace_back("/uncertainties/value");
    if (!meta.design_file.empty()) out.emplace_back("/uncertainties/design_row");
  }
  if (!goals.empty()) {
    for (const char* v : {"met", "margin", "first_month_met", "met_by_group", "met_by_city"}) {
      out.push_back(std::string("/goals/") + v);
    }
  }
  out.emplace_back("/trajectories/replicate");
  for (const std::string& v : replicate_coordinates()) out.push_back(v);
  out.emplace_back("/replicate");
  return out;
}

void check_block(const BlockHeader& b) {
  const H5File block = H5File::open(b.path);
  if (content_digest(block, row_variables_of(block)) != b.content_digest) {
    refuse_block(b.path, "damaged: its content does not match its digest");
  }
}

void EnsembleWriter::append_block(const BlockHeader& b) {
  Impl& s = *impl_;
  if (s.kind != Kind::run_file || (s.written > 0 && s.blocks.empty())) {
    throw std::logic_error("append_block: only into a run file assembled from blocks");
  }
  const std::uint64_t at = s.spec.first_replicate + s.written;
  if (b.first != at) {
    throw std::logic_error(fmt::format("block of replicate {} appended at {}", b.first, at));
  }
  const H5File block = H5File::open(b.path);
  const std::vector<std::string> variables = s.row_variables();
  if (row_variables_of(block) != variables) {
    refuse_block(b.path, "holds other variables than this run writes");
  }
  // Trajectories are kept for replicates below keep_replicates only.
  std::size_t kept = b.count;
  if (s.spec.keep_replicates) {
    const std::uint64_t keep = *s.spec.keep_replicates;
    kept = static_cast<std::size_t>(keep <= b.first ? 0 : std::min(b.count, keep - b.first));
  }
  for (const std::string& v : variables) {
    const Extent shape = block.shape(v);
    if (shape.empty() || (!v.starts_with("/events/") && shape[0] != b.count)) {
      refuse_block(b.path, fmt::format("damaged: {} has {} rows, not {}", v,
                                       shape.empty() ? 0 : shape[0], b.count));
    }
    Extent count = shape;
    if (v.starts_with("/trajectories/")) count[0] = kept;
    if (count[0] == 0) continue;
    visit_number_type(block.element_type(v), [&](auto zero) {
      const auto values = block.read<decltype(zero)>(v, Extent(shape.size(), 0), count);
      if (v.starts_with("/events/")) {
        s.file.append(v, count, values);
      } else {
        Extent offset(shape.size(), 0);
        offset[0] = static_cast<std::size_t>(s.written);
        s.file.write(v, offset, count, values);
      }
    });
  }
  s.blocks.push_back(b);
  s.written += b.count;
}

std::uint64_t EnsembleWriter::replicates_written() const { return impl_->written; }
bool EnsembleWriter::keeps_trajectories(std::uint64_t replicate) const {
  return impl_->keeps(replicate);
}
const std::filesystem::path& EnsembleWriter::partial_path() const { return impl_->partial; }
const std::vector<std::uint32_t>& EnsembleWriter::time_months() const { return impl_->months; }

void EnsembleWriter::Impl::write_layout() {
  H5File& f = file;
  f.set_attribute("/", "title", "regsim ensemble: " + meta.scenario_name);
  f.set_attribute("/", "institution_software", "regsim " + meta.version);
  f.set_attribute("/", "regsim_version", meta.version);
  f.set_attribute("/", "git_revision", meta.git_revision);
  f.set_attribute("/", "created", utc_now());
  f.set_attribute("/", "command_line", meta.command_line);
  f.set_attribute("/", "scenario", meta.scenario_name);
  f.set_attribute("/", "scenario_yaml", meta.scenario_yaml);
  f.set_attribute("/", "seed", meta.seed);
  f.set_attribute("/", "replications_planned", meta.replications);
  f.set_attribute("/", "simulation_start", "2013-01");
  f.set_attribute("/", "design_digest", meta.design_digest);
  f.set_attribute("/", "complete", std::int32_t{0});
  if (meta.stopping) {
    const StoppingRecord& r = *meta.stopping;
    f.set_attribute("/", "replications_rule", "auto");
    f.set_attribute("/", "replications_stop_reason", r.reason);
    f.set_attribute("/", "precision_goals", r.goals);
    f.set_attribute("/", "precision_half_width", r.target_half_width);
    f.set_attribute("/", "precision_half_width_achieved", r.achieved_half_width);
    f.set_attribute("/", "precision_batch", r.batch);
    f.set_attribute("/", "max_replications", r.max_replications);
  }

  f.set_attribute("/", "Conventions", "CF-1.10");
  add_coordinates("/", {"replicate", "city", "time", "group", "statistic"});
  write_city_metadata();

  f.create_group("/trajectories");
  add_coordinates("/trajectories", {"replicate", "city", "time"});
  f.create_group("/aggregates");
  add_coordinates("/aggregates", {"replicate", "group", "time"});
  for (Indicator i : variables) {
    const auto& s = model::spec(i);
    const Description d{std::string(s.long_name), std::string(s.unit)};
    const std::string name(s.name);
    f.create_variable<float>("/trajectories/" + name,
                             rows({"replicate", "city", "time"}, {1, region.size(), months.size()}),
                             d);
    f.create_variable<float>(
        "/aggregates/" + name,
        rows({"replicate", "group", "time"}, {1, groups.size(), months.size()}), d);
  }
  f.create_group("/events");
  f.add_dimension("/events/event", unlimited);
  f.create_variable<std::int64_t>("/events/replicate", {{"event"}}, {"replication index", "1"});
  f.create_variable<double>("/events/month", {{"event"}},
                            {"time of the event in months since 2013-01 (fractional)", "month"});
  f.create_variable<std::int32_t>("/events/city", {{"event"}}, {"index along city", "1"});
  f.create_variable<std::uint8_t>("/events/kind", {{"event"}}, {"kind of event", "1"});
  std::vector<std::uint8_t> kind_values;
  std::string kind_meanings;
  for (std::size_t k = 0; k < event_kind_names.size(); ++k) {
    kind_values.push_back(static_cast<std::uint8_t>(k));
    if (k > 0) kind_meanings += ' ';
    kind_meanings += event_kind_names[k];
  }
  f.set_attribute("/events/kind", "flag_values", kind_values);
  f.set_attribute("/events/kind", "flag_meanings", kind_meanings);
  f.create_variable<double>(
      "/events/value", {{"event"}},
      {"closure: persons laid off; reclassification: new class; discovery: resource units; "
       "policy/trigger: index along /policies/policy; park: ceiling added (1e8 CNY/year)",
       "1"});
  if (!meta.policies.empty()) write_policy_definitions();
  f.create_group("/checksums");
  add_coordinates("/checksums", {"replicate"});
  f.create_variable<std::uint64_t>("/checksums/digest", {{"replicate"}},
                                   {"digest of the replication's full monthly results", "1"});
  if (!uncertainties.empty()) {
    f.create_group("/uncertainties");
    add_coordinates("/uncertainties", {"replicate"});
    f.add_dimension("/uncertainties/uncertainty", uncertainties, {"uncertain parameter", ""});
    f.create_variable<double>("/uncertainties/value", {{"replicate", "uncertainty"}},
                              {"sampled value (units: /uncertainties/unit)", "1"});
    if (meta.uncertainty_units.size() == uncertainties.size()) {
      f.create_variable<std::string>("/uncertainties/unit", {{"uncertainty"}},
                                     {"unit of the sampled parameter", ""});
      f.write("/uncertainties/unit", {0}, {uncertainties.size()}, meta.uncertainty_units);
    }
    if (meta.uncertainty_from_design.size() == uncertainties.size()) {
      const std::string origin = "/uncertainties/origin";
      f.create_variable<std::uint8_t>(origin, {{"uncertainty"}},
                                      {"where the value comes from", "1"});
      f.set_attribute(origin, "flag_values", std::vector<std::uint8_t>{0, 1});
      f.set_attribute(origin, "flag_meanings", std::string("sampled design"));
      f.write(origin, {0}, {uncertainties.size()}, meta.uncertainty_from_design);
    }
    if (!meta.design_file.empty()) {
      const std::string row = "/uncertainties/design_row";
      f.create_variable<std::int64_t>(
          row, {{"replicate"}},
          {"row of the design file the replicate used (0 = the first after the header)", "1"});
      f.set_attribute(row, "design_file", meta.design_file);
    }
  }
  if (!goals.empty()) {
    f.create_group("/goals");
    add_coordinates("/goals", {"replicate", "group", "city"});
    f.add_dimension("/goals/goal", goals, {"goal", ""});
    f.create_variable<std::uint8_t>("/goals/met", {{"replicate", "goal"}},
                                    {"goal met (1) or not", "1"});
    f.create_variable<double>("/goals/margin", {{"replicate", "goal"}},
                              {"signed distance to the threshold (positive = met)", "1"});
    f.create_variable<std::int32_t>("/goals/first_month_met", {{"replicate", "goal"}},
                                    {"first month met, months since 2013-01 (-1: never)", "1"});
    const std::size_t nk = goals.size();
    const auto outcome = [&](const std::string& variable, const std::string& dim, std::size_t n,
                             const std::string& long_name) {
      f.create_variable<std::uint8_t>(variable, {{"replicate", "goal", dim}, {1, nk, n}},
                                      {long_name, "1"});
      f.set_attribute(variable, "flag_values", std::vector<std::uint8_t>{0, 1, 2});
      f.set_attribute(variable, "flag_meanings", std::string("missed met not_applicable"));
    };
    outcome("/goals/met_by_group", "group", groups.size(),
            "goal evaluated on its cities within the group");
    outcome("/goals/met_by_city", "city", region.size(), "goal evaluated on the city alone");
    if (meta.goals.size() == nk) write_goal_definitions();
  }
}

void EnsembleWriter::Impl::write_goal_definitions() {
  H5File& f = file;
  const auto text = [&](const std::string& name, const std::string& long_name, auto get) {
    write_column<std::string>(f, "/goals/" + name, "goal", long_name, meta.goals, get);
  };
  const auto number = [&](const std::string& name, const std::string& long_name, auto get) {
    write_column<double>(f, "/goals/" + name, "goal", long_name, meta.goals, get);
  };
  using G = GoalDefinition;
  text("indicator", "indicator compared", [](const G& g) { return g.indicator; });
  text("unit", "unit of the indicator and the thresholds", [](const G& g) { return g.unit; });
  text("timing", "at: on the date; by: in some month up to the date",
       [](const G& g) { return g.timing; });
  text("date", "date of the goal (YYYY-MM)", [](const G& g) { return g.date; });
  text("comparison", "below, above or between the thresholds",
       [](const G& g) { return g.comparison; });
  number("threshold", "threshold (lower bound for between; units: /goals/unit)",
         [](const G& g) { return g.threshold; });
  number("upper", "upper bound for between (units: /goals/unit)",
         [](const G& g) { return g.upper; });
  text("aggregation", "sum (ratio of sums), mean, every city, or share_of_cities",
       [](const G& g) { return g.aggregation; });
  number("share", "share_of_cities: share of the cities that must meet the threshold",
         [](const G& g) { return g.share; });
  text("where", "cities the goal covers", [](const G& g) { return g.where; });
  text("source", "plan clause the goal encodes", [](const G& g) { return g.source; });
}

void EnsembleWriter::Impl::write_policy_definitions() {
  H5File& f = file;
  std::vector<std::string> names;
  for (const auto& p : meta.policies) names.push_back(p.name);
  f.create_group("/policies");
  f.add_dimension("/policies/policy", names, {"scenario policy, in file order", ""});
  const auto text = [&](const std::string& name, const std::string& long_name, auto get) {
    write_column<std::string>(f, "/policies/" + name, "policy", long_name, meta.policies, get);
  };
  using P = PolicyDefinition;
  text("lever", "lever", [](const P& p) { return p.lever; });
  text("source", "plan clause the policy encodes", [](const P& p) { return p.source; });
  text("from", "first month of the window (YYYY-MM)", [](const P& p) { return p.from; });
  text("to", "last month of the window (YYYY-MM; empty: open)", [](const P& p) { return p.to; });
  text("where", "cities the policy covers", [](const P& p) { return p.where; });
  text("set", "the lever's values as the scenario sets them (name=value, ...)",
       [](const P& p) { return p.set; });
  text("trigger_indicator", "indicator whose run of months fires the policy (empty: no trigger)",
       [](const P& p) { return p.trigger_indicator; });
  text("trigger_comparison", "above or below the trigger threshold (empty: no trigger)",
       [](const P& p) { return p.trigger_comparison; });
  write_column<double>(
      f, "/policies/trigger_threshold", "policy",
      "trigger threshold, in the indicator's unit (NaN: no trigger)", meta.policies,
      [](const P& p) { return p.trigger_indicator.empty() ? std::nan("") : p.trigger_threshold; });
  write_column<std::int32_t>(f, "/policies/trigger_months", "policy",
                             "months the trigger's condition must hold (0: no trigger)",
                             meta.policies, [](const P& p) { return p.trigger_months; });
  write_column<std::uint8_t>(f, "/policies/trigger_rearm", "policy",
                             "the trigger fires again once its condition stopped holding (1)",
                             meta.policies, [](const P& p) { return p.trigger_rearm ? 1 : 0; });
}

void EnsembleWriter::Impl::add_coordinates(const std::string& group,
                                           std::initializer_list<std::string_view> dims) {
  H5File& f = file;
  for (std::string_view dim : dims) {
    const std::string coordinate = (group == "/" ? "" : group) + "/" + std::string(dim);
    if (dim == "replicate") {
      f.add_dimension(coordinate, std::vector<std::int64_t>{}, {"replication index", "1"},
                      unlimited);
    } else if (dim == "city") {
      std::vector<std::int32_t> ids;
      for (const auto& c : region.cities) ids.push_back(c.id);
      f.add_dimension(coordinate, ids, {"city identifier (seeds/cities.csv)", "1"});
    } else if (dim == "time") {
      std::vector<double> days;
      for (std::uint32_t m : months) days.push_back(days_since_2013(m));
      f.add_dimension(
          coordinate, days,
          {"time: first day of the month each value describes (the last month of "
           "its period)",
           "days since 2013-01-01",
           {{"calendar", "proleptic_gregorian"}, {"standard_name", "time"}, {"axis", "T"}}});
    } else if (dim == "group") {
      std::vector<std::string> labels;
      for (const auto& g : groups) labels.push_back(g.kind + ":" + g.name);
      f.add_dimension(coordinate, labels, {"group of cities (kind:name)", ""});
    } else if (dim == "statistic") {
      f.add_dimension(coordinate,
                      std::vector<std::string>(std::begin(statistics), std::end(statistics)),
                      {"statistic over replicates", ""});
    } else {
      throw std::logic_error("add_coordinates: no dimension " + std::string(dim));
    }
  }
}

std::vector<std::string> EnsembleWriter::Impl::replicate_coordinates() const {
  std::vector<std::string> out{"/aggregates/replicate", "/checksums/replicate"};
  if (!uncertainties.empty()) out.emplace_back("/uncertainties/replicate");
  if (!goals.empty()) out.emplace_back("/goals/replicate");
  return out;
}

void EnsembleWriter::Impl::write_city_metadata() {
  H5File& f = file;
  const auto strings = [&](const char* name, const char* long_name, auto get) {
    std::vector<std::string> v;
    for (const auto& c : region.cities) v.emplace_back(get(c));
    f.create_variable<std::string>(std::string("/") + name, {{"city"}}, {long_name, ""});
    f.write(std::string("/") + name, {0}, {v.size()}, v);
  };
  strings("city_name_zh", "city name (Chinese)", [](const model::City& c) { return c.name_zh; });
  strings("city_name_en", "city name (pinyin)", [](const model::City& c) { return c.name_en; });
  strings("province_zh", "province (Chinese)", [](const model::City& c) { return c.province_zh; });
  strings("province_en", "province", [](const model::City& c) { return c.province_en; });
  strings("admin_level", "administrative level",
          [](const model::City& c) { return std::string(model::to_string(c.admin_level)); });
  strings("category_2013", "class in the 2013 plan",
          [](const model::City& c) { return std::string(model::to_string(c.category)); });
  strings("primary_resource", "primary resource",
          [](const model::City& c) { return std::string(model::to_string(c.primary_resource)); });
  strings("macro_region", "macro region",
          [](const model::City& c) { return std::string(model::to_string(c.macro_region)); });
  std::vector<double> lat, lon;
  std::vector<std::int32_t> batch;
  for (const auto& c : region.cities) {
    lat.push_back(c.lat_deg);
    lon.push_back(c.lon_deg);
    batch.push_back(c.exhausted_batch);
  }
  f.create_variable<double>("/lat", {{"city"}},
                            {"latitude (approximate city seat)", "degrees_north"});
  f.write("/lat", {0}, {lat.size()}, lat);
  f.create_variable<double>("/lon", {{"city"}},
                            {"longitude (approximate city seat)", "degrees_east"});
  f.write("/lon", {0}, {lon.size()}, lon);
  f.create_variable<std::int32_t>("/exhausted_batch", {{"city"}},
                                  {"resource-exhausted city batch (0 = not designated)", "1"});
  f.write("/exhausted_batch", {0}, {batch.size()}, batch);
}

ReportedValues::ReportedValues(const model::CityCatalogue& region, const OutputSpec& spec)
    : cities_(region.size()),
      groups_(model::make_groups(region)),
      months_(reported_months(spec)),
      variables_(variables_of(spec)) {}

std::vector<float> ReportedValues::trajectories(const model::ReplicationResult& result) const {
  const std::size_t nt = months_.size();
  std::vector<float> out(variables_.size() * cities_ * nt);
  for (std::size_t v = 0; v < variables_.size(); ++v) {
    for (std::size_t c = 0; c < cities_; ++c) {
      for (std::size_t k = 0; k < nt; ++k) {
        out[(v * cities_ + c) * nt + k] =
            static_cast<float>(result.trajectories.at(variables_[v], c, months_[k]));
      }
    }
  }
  return out;
}

std::vector<float> ReportedValues::aggregates(const model::ReplicationResult& result) const {
  const std::size_t ng = groups_.size(), nt = months_.size();
  std::vector<float> out(variables_.size() * ng * nt);
  for (std::size_t v = 0; v < variables_.size(); ++v) {
    for (std::size_t g = 0; g < ng; ++g) {
      for (std::size_t k = 0; k < nt; ++k) {
        out[(v * ng + g) * nt + k] = static_cast<float>(
            result.trajectories.aggregate(variables_[v], groups_[g].cities, months_[k]));
      }
    }
  }
  return out;
}

void EnsembleWriter::write(const ReplicateRecord& rec) {
  Impl& s = *impl_;
  if (rec.replicate != s.spec.first_replicate + s.written) {
    throw std::logic_error(fmt::format("replicate {} written out of order (expected {})",
                                       rec.replicate, s.spec.first_replicate + s.written));
  }
  const std::size_t nc = s.region.size(), nt = s.months.size(), ng = s.groups.size();
  const auto r = static_cast<std::size_t>(s.written);  // the row; rec.replicate is its index
  const auto index = static_cast<std::int64_t>(rec.replicate);
  // One variable's slice of a [variable][place][time] record.
  const auto slice = [&](const std::vector<float>& all, std::size_t v, std::size_t places) {
    const auto first = all.begin() + static_cast<std::ptrdiff_t>(v * places * nt);
    return std::vector<float>(first, first + static_cast<std::ptrdiff_t>(places * nt));
  };
  if (s.keeps(rec.replicate)) {
    const std::vector<float> computed =
        rec.trajectories.empty() ? s.values.trajectories(*rec.result) : std::vector<float>{};
    const std::vector<float>& all = rec.trajectories.empty() ? computed : rec.trajectories;
    for (std::size_t v = 0; v < s.variables.size(); ++v) {
      s.put_rows("/trajectories/" + std::string(model::spec(s.variables[v]).name), {r, 0, 0},
                 {1, nc, nt}, slice(all, v, nc));
    }
    s.put_rows("/trajectories/replicate", {r}, {1}, std::vector<std::int64_t>{index});
  }
  const std::vector<float> computed =
      rec.aggregates.empty() ? s.values.aggregates(*rec.result) : std::vector<float>{};
  const std::vector<float>& all = rec.aggregates.empty() ? computed : rec.aggregates;
  for (std::size_t v = 0; v < s.variables.size(); ++v) {
    s.put_rows("/aggregates/" + std::string(model::spec(s.variables[v]).name), {r, 0, 0},
               {1, ng, nt}, slice(all, v, ng));
  }
  const auto& events = rec.result->events;
  if (!events.empty()) {
    std::vector<std::int64_t> rep(events.size(), index);
    std::vector<double> month, value;
    std::vector<std::int32_t> city;
    std::vector<std::uint8_t> kind;
    for (const auto& e : events) {
      month.push_back(e.time_months);
      city.push_back(static_cast<std::int32_t>(e.city));
      kind.push_back(static_cast<std::uint8_t>(e.kind));
      value.push_back(e.value);
    }
    const std::size_t n = events.size();
    s.append_rows("/events/replicate", {n}, rep);
    s.append_rows("/events/month", {n}, month);
    s.append_rows("/events/city", {n}, city);
    s.append_rows("/events/kind", {n}, kind);
    s.append_rows("/events/value", {n}, value);
  }
  s.put_rows(
      "/checksums/digest", {r}, {1},
      std::vector<std::uint64_t>{rec.digest != 0 ? rec.digest : replicate_digest(*rec.result)});
  if (!s.uncertainties.empty()) {
    s.put_rows("/uncertainties/value", {r, 0}, {1, s.uncertainties.size()}, rec.uncertainty_values);
    if (!s.meta.design_file.empty()) {
      s.put_rows("/uncertainties/design_row", {r}, {1}, std::vector<std::int64_t>{rec.design_row});
    }
  }
  if (!s.goals.empty()) {
    std::vector<std::uint8_t> met;
    std::vector<double> margin;
    std::vector<std::int32_t> first;
    for (std::size_t g = 0; g < rec.goals.size(); ++g) {
      met.push_back(rec.goals[g].met ? 1 : 0);
      margin.push_back(rec.goals[g].margin);
      first.push_back(rec.goals[g].first_month_met);
    }
    const std::size_t ng2 = s.goals.size();
    s.put_rows("/goals/met", {r, 0}, {1, ng2}, met);
    s.put_rows("/goals/margin", {r, 0}, {1, ng2}, margin);
    s.put_rows("/goals/first_month_met", {r, 0}, {1, ng2}, first);
    // Without a breakdown every group and city reads "not applicable".
    const auto outcomes = [&](const std::string& path, std::size_t n,
                              const std::vector<std::uint8_t>& given) {
      if (given.empty()) {
        s.put_rows(path, {r, 0, 0}, {1, ng2, n}, std::vector<std::uint8_t>(ng2 * n, 2));
      } else {
        s.put_rows(path, {r, 0, 0}, {1, ng2, n}, given);
      }
    };
    outcomes("/goals/met_by_group", ng, rec.goals_by_group);
    outcomes("/goals/met_by_city", nc, rec.goals_by_city);
  }
  for (const std::string& v : s.replicate_coordinates()) {
    s.put_rows(v, {r}, {1}, std::vector<std::int64_t>{index});
  }
  s.append_rows("/replicate", {1}, std::vector<std::int64_t>{index});
  ++s.written;
}

// Statistics over replicates, per (city or group, time): memory is one
// variable at a time, and within a variable a slice of cities small
// enough that every replicate's values fit in spec.summary_memory bytes.
void EnsembleWriter::Impl::write_summaries() {
  const std::size_t nt = months.size();
  // fill(j0, nj, out): the values of places j0 .. j0 + nj - 1 of every
  // replicate, as out[replicate][place][time].
  using Fill = std::function<void(std::size_t, std::size_t, std::vector<float>&)>;
  const auto summarise = [&](Indicator indicator, const std::string& to, std::size_t n,
                             std::size_t reps, const char* second_dim, const Fill& fill) {
    if (reps == 0) return;
    std::vector<float> out(std::size(statistics) * n * nt);
    const std::size_t slice =
        std::clamp<std::size_t>(spec.summary_memory / (sizeof(float) * reps * nt), 1, n);
    std::vector<float> data;
    for (std::size_t j0 = 0; j0 < n; j0 += slice) {
      const std::size_t nj = std::min(slice, n - j0);
      data.assign(reps * nj * nt, 0.0f);
      fill(j0, nj, data);
      // Places in parallel: each cell is computed alone, so the result does
      // not depend on how the places are shared out.
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, nj), [&](const auto& places) {
        std::vector<float> by_time(reps * nt), cell;
        double q[std::size(quantiles)];
        for (std::size_t j = places.begin(); j < places.end(); ++j) {
          // One place's values, time-major, so that each cell's replicates
          // are contiguous.
          for (std::size_t r = 0; r < reps; ++r) {
            const float* row = &data[(r * nj + j) * nt];
            for (std::size_t k = 0; k < nt; ++k) by_time[k * reps + r] = row[k];
          }
          for (std::size_t k = 0; k < nt; ++k) {
            cell.clear();
            double sum = 0;  // in replicate order: the same however the run was split
            for (std::size_t r = 0; r < reps; ++r) {
              const float v = by_time[k * reps + r];
              if (!std::isnan(v)) {
                cell.push_back(v);
                sum += v;
              }
            }
            scenario::quantiles_in_place(cell, quantiles, std::size(quantiles), q);
            const auto put = [&](std::size_t stat, double v) {
              out[(stat * n + j0 + j) * nt + k] = static_cast<float>(v);
            };
            put(0, cell.empty() ? std::nan("") : sum / static_cast<double>(cell.size()));
            for (std::size_t i = 0; i < std::size(quantiles); ++i) put(i + 1, q[i]);
          }
        }
      });
    }
    const auto& s = model::spec(indicator);
    file.create_variable<float>(to, {{"statistic", second_dim, "time"}},
                                {std::string(s.long_name), std::string(s.unit)});
    file.write(to, {0, 0, 0}, {std::size(statistics), n, nt}, out);
  };
  // Reads rows [0, reps) of `variable` in `from` into out at row `row0`.
  const auto read_rows_of = [&](const H5File& from, const std::string& variable, std::size_t row0,
                                std::size_t reps, std::size_t j0, std::size_t nj,
                                std::vector<float>& out) {
    const auto part = from.read<float>(variable, {0, j0, 0}, {reps, nj, nt});
    std::copy(part.begin(), part.end(), out.begin() + static_cast<std::ptrdiff_t>(row0 * nj * nt));
  };
  file.create_group("/summary");
  add_coordinates("/summary", {"statistic", "city", "time"});
  file.create_group("/summary_groups");
  add_coordinates("/summary_groups", {"statistic", "group", "time"});
  // Written here, trajectories are those of the first replicates, whose
  // index is below keep_replicates; appended blocks hold every replicate's.
  std::uint64_t kept = written;
  if (blocks.empty() && spec.keep_replicates) {
    const std::uint64_t keep_below = *spec.keep_replicates;
    kept = spec.first_replicate >= keep_below
               ? 0
               : std::min(written, keep_below - spec.first_replicate);
  }
  for (Indicator i : variables) {
    const std::string name(model::spec(i).name);
    const std::string trajectories = "/trajectories/" + name;
    summarise(i, "/summary/" + name, region.size(), kept, "city",
              [&](std::size_t j0, std::size_t nj, std::vector<float>& out) {
                if (blocks.empty()) return read_rows_of(file, trajectories, 0, kept, j0, nj, out);
                std::size_t row = 0;
                for (const BlockHeader& b : blocks) {
                  read_rows_of(H5File::open(b.path), trajectories, row, b.count, j0, nj, out);
                  row += b.count;
                }
              });
    summarise(i, "/summary_groups/" + name, groups.size(), written, "group",
              [&](std::size_t j0, std::size_t nj, std::vector<float>& out) {
                read_rows_of(file, "/aggregates/" + name, 0, written, j0, nj, out);
              });
  }
}

// Attainment probabilities with 90 % Wilson intervals, from what was
// written (so a resumed run needs no state of its own): per goal, over
// every replicate, and per goal and place, over the replicates in which the
// goal applies there (NaN where it never does).
void EnsembleWriter::Impl::write_goal_probabilities() {
  if (goals.empty()) return;
  const std::size_t nk = goals.size();
  const auto ledger = [&](const std::string& suffix, const std::string& place_dim,
                          std::size_t places, const std::string& long_name) {
    std::vector<std::string> dims{"goal"};
    Extent shape{nk};
    if (!place_dim.empty()) {
      dims.push_back(place_dim);
      shape.push_back(places);
    }
    Extent start(shape.size() + 1, 0), count{written};
    count.insert(count.end(), shape.begin(), shape.end());
    const auto outcomes = written > 0 ? file.read<std::uint8_t>("/goals/met" + suffix, start, count)
                                      : std::vector<std::uint8_t>{};
    const std::size_t n = nk * places;
    std::vector<double> prob(n), low(n), high(n);
    for (std::size_t j = 0; j < n; ++j) {
      double met = 0, applicable = 0;
      for (std::size_t r = 0; r < written; ++r) {
        const std::uint8_t o = outcomes[r * n + j];
        if (o != 2) applicable += 1;
        if (o == 1) met += 1;
      }
      prob[j] = applicable > 0 ? met / applicable : std::nan("");
      std::tie(low[j], high[j]) = scenario::wilson90(met, applicable);
    }
    const auto put = [&](const std::string& bound, const std::string& name,
                         const std::vector<double>& v) {
      const std::string variable = "/goals/probability" + bound + suffix;
      file.create_variable<double>(variable, {dims}, {name, "1"});
      file.write(variable, Extent(shape.size(), 0), shape, v);
    };
    put("", long_name, prob);
    put("_low", "90 % Wilson interval, lower bound", low);
    put("_high", "90 % Wilson interval, upper bound", high);
  };
  ledger("", "", 1, "share of replicates meeting the goal");
  ledger("_by_group", "group", groups.size(),
         "share of replicates meeting the goal there (NaN: not applicable)");
  ledger("_by_city", "city", region.size(),
         "share of replicates meeting the goal there (NaN: not applicable)");
}

void EnsembleWriter::finish() {
  Impl& s = *impl_;
  if (s.kind == Kind::run_file) {
    s.write_summaries();
    s.write_goal_probabilities();
    s.file.set_attribute("/", "replications", s.written);
  } else {
    s.file.flush();
    const std::vector<std::string> variables = s.row_variables();
    std::string list;
    for (const auto& v : variables) list += (list.empty() ? "" : "\n") + v;
    s.file.set_attribute("/", "row_variables", list);
    std::uint64_t digest = 0;
    for (const auto& v : variables) {
      const auto d = s.digests.find(v);
      digest += (d != s.digests.end() ? d->second : VariableDigest(v)).finish(s.file.shape(v));
    }
    s.file.set_attribute("/", "journal_block_first", s.spec.first_replicate);
    s.file.set_attribute("/", "journal_block_count", s.written);
    s.file.set_attribute("/", "content_digest", digest);
  }
  s.file.set_attribute("/", "complete", std::int32_t{1});
  s.file.close();
  durable_rename(s.partial, s.path);
}

}  // namespace regsim::io
