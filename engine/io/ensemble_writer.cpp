#include "io/ensemble_writer.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <ctime>
#include <limits>
#include <system_error>
#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "des/random_stream.hpp"
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
  const std::uint32_t step = spec.resolution == OutputSpec::Resolution::annual      ? 12
                             : spec.resolution == OutputSpec::Resolution::quarterly ? 3
                                                                                    : 1;
  std::vector<std::uint32_t> out;
  for (std::uint32_t m = spec.first_month; m < spec.months; ++m) {
    if ((m + 1) % step == 0) out.push_back(m);  // the last month of each period
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

// Wilson score interval for a proportion (z = 1.645: 90 %); NaN without trials.
std::pair<double, double> wilson90(double successes, double n) {
  if (n <= 0) return {std::nan(""), std::nan("")};
  const double z = 1.6448536269514722, p = successes / n;
  const double denom = 1.0 + z * z / n;
  const double centre = (p + z * z / (2 * n)) / denom;
  const double half = z * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom;
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

}  // namespace

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
  std::vector<std::string> uncertainties, goals;
  std::vector<model::CityGroup> groups;
  std::vector<std::uint32_t> months;
  std::vector<Indicator> variables;
  H5File file;
  std::uint64_t written = 0;
  bool finished = false;

  Impl(std::filesystem::path p, const model::CityCatalogue& r, OutputSpec s, RunMetadata m,
       std::vector<std::string> u, std::vector<std::string> g, bool reopen)
      : path(std::move(p)),
        partial(path.string() + ".partial"),
        region(r),
        spec(std::move(s)),
        meta(std::move(m)),
        uncertainties(std::move(u)),
        goals(std::move(g)),
        groups(model::make_groups(r)),
        months(reported_months(spec)),
        variables(spec.variables),
        file(reopen ? H5File::open(partial, H5File::Access::read_write) : H5File::create(partial)) {
    if (variables.empty()) {
      for (std::size_t i = 0; i < model::indicator_count; ++i) {
        variables.push_back(static_cast<Indicator>(i));
      }
    }
  }

  bool keeps(std::uint64_t replicate) const {
    return spec.keep_replicates < 0 || replicate < static_cast<std::uint64_t>(spec.keep_replicates);
  }

  void write_layout();
  void write_city_metadata();
  void write_summaries();
  void write_goal_definitions();
  void write_goal_probabilities();
};

EnsembleWriter::EnsembleWriter(std::filesystem::path path, const model::CityCatalogue& region,
                               OutputSpec spec, RunMetadata meta,
                               std::vector<std::string> uncertainty_names,
                               std::vector<std::string> goal_names, bool force) {
  if (std::filesystem::exists(path) && !force) {
    scenario::Diagnostic d;
    d.where.file = path.string();
    d.message = "output file exists; not replacing it";
    d.expected = "a new file name, or --force to replace it";
    throw scenario::InputError({d});
  }
  impl_ = std::make_unique<Impl>(std::move(path), region, std::move(spec), std::move(meta),
                                 std::move(uncertainty_names), std::move(goal_names), false);
  impl_->write_layout();
}

EnsembleWriter::EnsembleWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EnsembleWriter::EnsembleWriter(EnsembleWriter&&) noexcept = default;
EnsembleWriter& EnsembleWriter::operator=(EnsembleWriter&&) noexcept = default;
EnsembleWriter::~EnsembleWriter() = default;

EnsembleWriter EnsembleWriter::resume(std::filesystem::path path,
                                      const model::CityCatalogue& region, OutputSpec spec,
                                      RunMetadata meta, std::vector<std::string> uncertainty_names,
                                      std::vector<std::string> goal_names) {
  const std::string partial = path.string() + ".partial";
  const auto refuse = [&](const std::string& message, const std::string& expected) {
    scenario::Diagnostic d;
    d.where.file = partial;
    d.message = message;
    d.expected = expected;
    throw scenario::InputError({d});
  };
  if (!std::filesystem::exists(partial)) {
    refuse("nothing to resume: no partial file", "the output of an interrupted `regsim run`");
  }
  auto impl = std::make_unique<Impl>(std::move(path), region, std::move(spec), std::move(meta),
                                     std::move(uncertainty_names), std::move(goal_names), true);
  H5File& f = impl->file;
  if (!f.has_attribute("/", "scenario_yaml") ||
      f.attribute<std::string>("/", "scenario_yaml") != impl->meta.scenario_yaml ||
      f.attribute<std::uint64_t>("/", "seed") != impl->meta.seed ||
      f.attribute<std::uint64_t>("/", "replications_planned") != impl->meta.replications) {
    refuse("the partial file belongs to another run (scenario, seed or replications differ)",
           "the same scenario file and flags as the interrupted run");
  }
  impl->written = f.shape("/replicate")[0];
  // Events are appended just before their replicate's index: rows of a
  // replicate not counted mean the run was killed inside a write.
  const auto event_replicates = f.read<std::int64_t>("/events/replicate");
  const std::uint64_t first = impl->spec.first_replicate;
  for (std::int64_t r : event_replicates) {
    if (r < 0 || static_cast<std::uint64_t>(r) < first ||
        static_cast<std::uint64_t>(r) >= first + impl->written) {
      refuse("the partial file is damaged (the run was killed while writing)",
             "a partial file left by a stopped run; start again without --resume");
    }
  }
  return EnsembleWriter(std::move(impl));
}

void EnsembleWriter::flush() { impl_->file.flush(); }

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
  f.set_attribute("/", "complete", std::int32_t{0});

  f.add_dimension("/replicate", std::vector<std::int64_t>{}, {"replication index", "1"}, unlimited);
  std::vector<std::int32_t> ids;
  for (const auto& c : region.cities) ids.push_back(c.id);
  f.add_dimension("/city", ids, {"city identifier (seeds/cities.csv)", "1"});
  std::vector<double> days;
  for (std::uint32_t m : months) days.push_back(days_since_2013(m));
  f.add_dimension("/time", days,
                  {"time: first day of the month each value describes (the last month of its "
                   "period)",
                   "days since 2013-01-01",
                   {{"calendar", "proleptic_gregorian"}}});
  std::vector<std::string> group_labels;
  for (const auto& g : groups) group_labels.push_back(g.kind + ":" + g.name);
  f.add_dimension("/group", group_labels, {"group of cities (kind:name)", ""});
  f.add_dimension("/statistic",
                  std::vector<std::string>(std::begin(statistics), std::end(statistics)),
                  {"statistic over replicates", ""});
  write_city_metadata();

  f.create_group("/trajectories");
  f.create_group("/aggregates");
  for (Indicator i : variables) {
    const auto& s = model::spec(i);
    const Description d{std::string(s.long_name), std::string(s.unit)};
    const std::string name(s.name);
    f.create_variable<float>("/trajectories/" + name,
                             {{"replicate", "city", "time"}, {1, region.size(), months.size()}}, d);
    f.create_variable<float>("/aggregates/" + name,
                             {{"replicate", "group", "time"}, {1, groups.size(), months.size()}},
                             d);
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
    kind_meanings += (k == 0 ? "" : " ") + std::string(event_kind_names[k]);
  }
  f.set_attribute("/events/kind", "flag_values", kind_values);
  f.set_attribute("/events/kind", "flag_meanings", kind_meanings);
  f.create_variable<double>(
      "/events/value", {{"event"}},
      {"closure: persons laid off; reclassification: new class; discovery: resource units; "
       "policy/trigger: index along /policies/policy; park: ceiling added (1e8 CNY/year)",
       "1"});
  if (!meta.policies.empty()) {
    std::vector<std::string> names, levers, sources;
    for (const auto& p : meta.policies) {
      names.push_back(p.name);
      levers.push_back(p.lever);
      sources.push_back(p.source);
    }
    f.create_group("/policies");
    f.add_dimension("/policies/policy", names, {"scenario policy, in file order", ""});
    f.create_variable<std::string>("/policies/lever", {{"policy"}}, {"lever", ""});
    f.write("/policies/lever", {0}, {levers.size()}, levers);
    f.create_variable<std::string>("/policies/source", {{"policy"}},
                                   {"plan clause the policy encodes", ""});
    f.write("/policies/source", {0}, {sources.size()}, sources);
  }
  f.create_group("/checksums");
  f.create_variable<std::uint64_t>("/checksums/digest", {{"replicate"}},
                                   {"digest of the replication's full monthly results", "1"});
  if (!uncertainties.empty()) {
    f.create_group("/uncertainties");
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
    std::vector<std::string> v;
    for (const auto& g : meta.goals) v.emplace_back(get(g));
    f.create_variable<std::string>("/goals/" + name, {{"goal"}}, {long_name, ""});
    f.write("/goals/" + name, {0}, {v.size()}, v);
  };
  const auto number = [&](const std::string& name, const std::string& long_name, auto get) {
    std::vector<double> v;
    for (const auto& g : meta.goals) v.push_back(get(g));
    f.create_variable<double>("/goals/" + name, {{"goal"}}, {long_name, "1"});
    f.write("/goals/" + name, {0}, {v.size()}, v);
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

std::vector<float> EnsembleWriter::aggregates(const model::ReplicationResult& result) const {
  const Impl& s = *impl_;
  const std::size_t ng = s.groups.size(), nt = s.months.size();
  std::vector<float> out(s.variables.size() * ng * nt);
  for (std::size_t v = 0; v < s.variables.size(); ++v) {
    for (std::size_t g = 0; g < ng; ++g) {
      for (std::size_t k = 0; k < nt; ++k) {
        out[(v * ng + g) * nt + k] = static_cast<float>(
            result.trajectories.aggregate(s.variables[v], s.groups[g].cities, s.months[k]));
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
  H5File& f = s.file;
  const auto& t = rec.result->trajectories;
  const std::size_t nc = s.region.size(), nt = s.months.size(), ng = s.groups.size();
  const auto r = static_cast<std::size_t>(s.written);  // the row; rec.replicate is its index
  const auto index = static_cast<std::int64_t>(rec.replicate);
  std::vector<float> buffer;
  for (Indicator i : s.variables) {
    const std::string name(model::spec(i).name);
    if (s.keeps(rec.replicate)) {
      buffer.assign(nc * nt, 0.0f);
      for (std::size_t c = 0; c < nc; ++c) {
        for (std::size_t k = 0; k < nt; ++k)
          buffer[c * nt + k] = static_cast<float>(t.at(i, c, s.months[k]));
      }
      f.write("/trajectories/" + name, {r, 0, 0}, {1, nc, nt}, buffer);
    }
  }
  const std::vector<float> computed =
      rec.aggregates.empty() ? aggregates(*rec.result) : std::vector<float>{};
  const std::vector<float>& all = rec.aggregates.empty() ? computed : rec.aggregates;
  for (std::size_t v = 0; v < s.variables.size(); ++v) {
    const std::string name(model::spec(s.variables[v]).name);
    const auto first = all.begin() + static_cast<std::ptrdiff_t>(v * ng * nt);
    f.write("/aggregates/" + name, {r, 0, 0}, {1, ng, nt},
            std::vector<float>(first, first + static_cast<std::ptrdiff_t>(ng * nt)));
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
    f.append("/events/replicate", {n}, rep);
    f.append("/events/month", {n}, month);
    f.append("/events/city", {n}, city);
    f.append("/events/kind", {n}, kind);
    f.append("/events/value", {n}, value);
  }
  f.write("/checksums/digest", {r}, {1},
          std::vector<std::uint64_t>{rec.digest != 0 ? rec.digest : replicate_digest(*rec.result)});
  if (!s.uncertainties.empty()) {
    f.write("/uncertainties/value", {r, 0}, {1, s.uncertainties.size()}, rec.uncertainty_values);
    if (!s.meta.design_file.empty()) {
      f.write("/uncertainties/design_row", {r}, {1}, std::vector<std::int64_t>{rec.design_row});
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
    f.write("/goals/met", {r, 0}, {1, ng2}, met);
    f.write("/goals/margin", {r, 0}, {1, ng2}, margin);
    f.write("/goals/first_month_met", {r, 0}, {1, ng2}, first);
    // Without a breakdown every group and city reads "not applicable".
    const auto outcomes = [&](const std::string& path, std::size_t n,
                              const std::vector<std::uint8_t>& given) {
      if (given.empty()) {
        f.write(path, {r, 0, 0}, {1, ng2, n}, std::vector<std::uint8_t>(ng2 * n, 2));
      } else {
        f.write(path, {r, 0, 0}, {1, ng2, n}, given);
      }
    };
    outcomes("/goals/met_by_group", ng, rec.goals_by_group);
    outcomes("/goals/met_by_city", nc, rec.goals_by_city);
  }
  f.append("/replicate", {1}, std::vector<std::int64_t>{index});
  ++s.written;
}

// Statistics over replicates, per (city or group, time), from what was
// written: memory is one variable at a time.
void EnsembleWriter::Impl::write_summaries() {
  const std::size_t nt = months.size();
  const auto summarise = [&](const std::string& from, const std::string& to, std::size_t n,
                             std::size_t reps, const char* second_dim) {
    if (reps == 0) return;
    const auto data = file.read<float>(from, {0, 0, 0}, {reps, n, nt});
    std::vector<float> out(std::size(statistics) * n * nt);
    std::vector<double> values;
    for (std::size_t j = 0; j < n; ++j) {
      for (std::size_t k = 0; k < nt; ++k) {
        values.clear();
        for (std::size_t r = 0; r < reps; ++r) {
          const float v = data[(r * n + j) * nt + k];
          if (!std::isnan(v)) values.push_back(v);
        }
        std::sort(values.begin(), values.end());
        double sum = 0;
        for (double v : values) sum += v;  // sorted order: independent of thread count
        const auto put = [&](std::size_t stat, double v) {
          out[(stat * n + j) * nt + k] = static_cast<float>(v);
        };
        put(0, values.empty() ? std::nan("") : sum / static_cast<double>(values.size()));
        for (std::size_t q = 0; q < std::size(quantiles); ++q)
          put(q + 1, scenario::quantile_of_sorted(values, quantiles[q]));
      }
    }
    const auto& s = model::spec(*model::find_indicator(to.substr(to.rfind('/') + 1)));
    file.create_variable<float>(to, {{"statistic", second_dim, "time"}},
                                {std::string(s.long_name), std::string(s.unit)});
    file.write(to, {0, 0, 0}, {std::size(statistics), n, nt}, out);
  };
  file.create_group("/summary");
  file.create_group("/summary_groups");
  // Rows with trajectories: the first ones, whose index is below keep_replicates.
  std::uint64_t kept = written;
  if (spec.keep_replicates >= 0) {
    const auto keep_below = static_cast<std::uint64_t>(spec.keep_replicates);
    kept = spec.first_replicate >= keep_below
               ? 0
               : std::min(written, keep_below - spec.first_replicate);
  }
  for (Indicator i : variables) {
    const std::string name(model::spec(i).name);
    summarise("/trajectories/" + name, "/summary/" + name, region.size(), kept, "city");
    summarise("/aggregates/" + name, "/summary_groups/" + name, groups.size(), written, "group");
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
      std::tie(low[j], high[j]) = wilson90(met, applicable);
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
  s.write_summaries();
  s.write_goal_probabilities();
  s.file.set_attribute("/", "replications", s.written);
  s.file.set_attribute("/", "complete", std::int32_t{1});
  s.file.close();
  std::error_code ec;
  std::filesystem::rename(s.partial, s.path, ec);
  if (ec) {
    throw IoError(fmt::format("cannot rename to {}: {}", s.path.string(), ec.message()),
                  s.partial.string(), "");
  }
  s.finished = true;
}

}  // namespace regsim::io
