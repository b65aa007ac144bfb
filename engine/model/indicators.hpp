// The indicators recorded per city and month, in one table: name, unit,
// long name, and how cities aggregate (sum, or a ratio of two summed
// indicators). The same table drives the output attributes, the docs and
// the aggregates, so a ratio is always recomputed from sums, never averaged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace regsim::model {

// X(id, "name", "unit", "long name", numerator, denominator)  (ratio: num/den ids; sum: self, none)
#define REGSIM_INDICATORS(X)                                                                       \
  X(population, "population", "persons", "resident population", population, none)                  \
  X(labour_force, "labour_force", "persons", "labour force", labour_force, none)                   \
  X(unemployed, "unemployed", "persons", "registered unemployed", unemployed, none)                \
  X(local_unemployed, "local_unemployed", "persons", "unemployed residents who are not ex-miners", \
    local_unemployed, none)                                                                        \
  X(unemployment_rate, "unemployment_rate", "1", "registered unemployment rate", unemployed,       \
    labour_force)                                                                                  \
  X(miners_employed, "miners_employed", "persons", "employed in mining (production units)",        \
    miners_employed, none)                                                                         \
  X(unemployed_ex_miners, "unemployed_ex_miners", "persons",                                       \
    "unemployed ex-miners (incl. waiting for training and trained job seekers)",                   \
    unemployed_ex_miners, none)                                                                    \
  X(long_term_unemployed_ex_miners, "long_term_unemployed_ex_miners", "persons",                   \
    "ex-miners unemployed for 12 months or more", long_term_unemployed_ex_miners, none)            \
  X(trainees, "trainees", "persons", "ex-miners in retraining courses", trainees, none)            \
  X(training_queue, "training_queue", "persons", "ex-miners waiting for a training seat",          \
    training_queue, none)                                                                          \
  X(cumulative_reemployed, "cumulative_reemployed", "persons",                                     \
    "ex-miners re-employed since the start", cumulative_reemployed, none)                          \
  X(social_assistance, "social_assistance", "persons", "recipients of minimum living allowance",   \
    social_assistance, none)                                                                       \
  X(cumulative_out_migrants, "cumulative_out_migrants", "persons",                                 \
    "residents who left since the start (to other cities or elsewhere)", cumulative_out_migrants,  \
    none)                                                                                          \
  X(cumulative_in_migrants, "cumulative_in_migrants", "persons",                                   \
    "residents who arrived since the start (from other cities or elsewhere)",                      \
    cumulative_in_migrants, none)                                                                  \
  X(natural_change, "natural_change", "persons", "births minus deaths since the start",            \
    natural_change, none)                                                                          \
  X(gdp, "gdp", "1e8 CNY/year", "gross domestic product (2012 prices, annualised)", gdp, none)     \
  X(resource_va, "resource_va", "1e8 CNY/year", "resource-sector value added", resource_va, none)  \
  X(replacement_va, "replacement_va", "1e8 CNY/year", "replacement-industry value added",          \
    replacement_va, none)                                                                          \
  X(resource_dependence, "resource_dependence", "1", "resource value added / GDP", resource_va,    \
    gdp)                                                                                           \
  X(replacement_share, "replacement_share", "1", "replacement value added / GDP", replacement_va,  \
    gdp)                                                                                           \
  X(production, "production", "resource units/year", "annualised output of the primary resource",  \
    production, none)                                                                              \
  X(capacity, "capacity", "resource units/year", "open production capacity", capacity, none)       \
  X(new_capacity, "new_capacity", "resource units/year",                                           \
    "capacity of production units opened since the start", new_capacity, none)                     \
  X(reserve, "reserve", "resource units", "remaining recoverable reserve", reserve, none)          \
  X(reserve_to_production, "reserve_to_production", "years", "reserve / annual production",        \
    reserve, production)                                                                           \
  X(cumulative_extraction, "cumulative_extraction", "resource units",                              \
    "extracted since first production (incl. before the start)", cumulative_extraction, none)      \
  X(exhaustion_fraction, "exhaustion_fraction", "1",                                               \
    "cumulative extraction / (cumulative extraction + reserve)", cumulative_extraction,            \
    ultimate_resource)                                                                             \
  X(ultimate_resource, "ultimate_resource", "resource units",                                      \
    "cumulative extraction + remaining reserve", ultimate_resource, none)                          \
  X(degraded_land, "degraded_land", "ha", "mining-degraded land (incl. restored)", degraded_land,  \
    none)                                                                                          \
  X(restored_land, "restored_land", "ha", "restored land", restored_land, none)                    \
  X(restoration_rate, "restoration_rate", "1", "restored / degraded land", restored_land,          \
    degraded_land)                                                                                 \
  X(city_class, "city_class", "1", "class: 0 growing, 1 mature, 2 declining, 3 regenerating",      \
    city_class, none)                                                                              \
  X(transfers_received, "transfers_received", "1e8 CNY",                                           \
    "fiscal transfers received since the start (2012 prices)", transfers_received, none)           \
  X(policy_spending, "policy_spending", "1e8 CNY",                                                 \
    "policy spending since the start: training, parks, exploration, remediation, public jobs "     \
    "(2012 prices)",                                                                               \
    policy_spending, none)

enum class Indicator : std::uint8_t {
#define REGSIM_X(id, name, unit, long_name, num, den) id,
  REGSIM_INDICATORS(REGSIM_X)
#undef REGSIM_X
      none
};

struct IndicatorSpec {
  std::string_view name;
  std::string_view unit;
  std::string_view long_name;
  Indicator numerator;    ///< the indicator itself for sums
  Indicator denominator;  ///< Indicator::none for sums
  bool is_ratio() const { return denominator != Indicator::none; }
};

inline constexpr IndicatorSpec indicator_specs[] = {
#define REGSIM_X(id, name, unit, long_name, num, den) \
  {name, unit, long_name, Indicator::num, Indicator::den},
    REGSIM_INDICATORS(REGSIM_X)
#undef REGSIM_X
};
inline constexpr std::size_t indicator_count = std::size(indicator_specs);

constexpr const IndicatorSpec& spec(Indicator i) {
  return indicator_specs[static_cast<std::size_t>(i)];
}
std::optional<Indicator> find_indicator(std::string_view name);

/// Indicator values of one replication: [indicator][city][month], float64
/// while running (sums of persons stay exact), narrowed on output.
class Trajectories {
 public:
  Trajectories() = default;
  Trajectories(std::size_t cities, std::size_t months)
      : cities_(cities), months_(months), values_(indicator_count * cities * months, 0.0) {}

  std::size_t cities() const { return cities_; }
  std::size_t months() const { return months_; }
  double& at(Indicator i, std::size_t city, std::size_t month) {
    return values_[(static_cast<std::size_t>(i) * cities_ + city) * months_ + month];
  }
  double at(Indicator i, std::size_t city, std::size_t month) const {
    return values_[(static_cast<std::size_t>(i) * cities_ + city) * months_ + month];
  }
  /// The same values over `months` months: cut, or the new months 0.
  Trajectories resized(std::size_t months) const;
  /// Sum over the selected cities (or a ratio of sums) at one month.
  double aggregate(Indicator i, const std::vector<std::size_t>& cities, std::size_t month) const;

 private:
  std::size_t cities_ = 0;
  std::size_t months_ = 0;
  std::vector<double> values_;
};

}  // namespace regsim::model
