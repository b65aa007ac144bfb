// Every parameter of the city model, in one table: dotted name (as used in
// scenarios), unit, default, valid range, and a source (a section of
// seeds/sources/calibration.md, "cal §x.y", or a plan clause) or a
// stated assumption. `regsim params` prints this table; scenarios set or
// sample any entry by its dotted name.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace regsim::model {

// X(id, "dotted.name", "unit", default, min, max, "source or assumption"); the C++ id
// is the dotted name with _ for . (one spelling: labour.job_finding_rate is
// Param::labour_job_finding_rate), checked when params.cpp compiles.
#define REGSIM_MODEL_PARAMETERS(X)                                                                  \
  /* resource */                                                                                    \
  X(resource_productivity_growth, "resource.productivity_growth", "1/year", 0.04, 0.0, 0.3,         \
    "cal §6.3: 13th FYP target 650-750 -> >= 1300 t per worker-year 2013-2020 (~10 %/yr in "       \
    "all, with closures of small units and new modern ones); assumption: 4 %/yr within a unit")     \
  X(resource_normal_utilisation, "resource.normal_utilisation", "1", 0.8, 0.3, 1.0,                 \
    "cal §3.7: coal-mining capacity utilisation 70.6 % (2019); seeds: capacity = production / "    \
    "0.80 (coal); new capacity is planned so that demand fills this share of it")                   \
  X(resource_modern_workers_per_capacity, "resource.modern_workers_per_capacity",                   \
    "persons per resource unit/year", 100.0, 10.0, 1000.0,                                          \
    "cal §4.2 / §6.3: modern large mines 30-150 workers per Mt/yr (50 central), old state mines " \
    "~2,000; assumption: 100 for every new unit")                                                   \
  X(resource_construction_months, "resource.construction_months", "months", 36.0, 6.0, 120.0,       \
    "assumption: approval to first output of a new production unit")                                \
  X(resource_new_unit_reserve_years, "resource.new_unit_reserve_years", "years", 30.0, 5.0, 100.0,  \
    "assumption: reserve committed to a new unit, in years of its capacity")                        \
  X(resource_entry_price_index, "resource.entry_price_index", "1", 0.65, 0.0, 5.0,                  \
    "assumption: new capacity is ordered only when the price index is at least this (2013 = 1; "    \
    "BSPI fell to ~0.55 in 2015-16 when half the mines were idle, cal §3.1, §4.7)")                 \
  X(resource_max_utilisation, "resource.max_utilisation", "1", 1.1, 1.0, 1.5,                       \
    "assumption: units may produce up to this share of nameplate capacity when demand exceeds "     \
    "it (re-rating of advanced capacity, 核增产能, 2021)")                                          \
  X(resource_swap_ratio, "resource.swap_ratio", "1", 0.625, 0.0, 2.0,                               \
    "cal §3.1: 13th FYP coal plan, eliminate ~8亿 t/yr and add ~5亿 t/yr of advanced capacity "  \
    "(5/8): capacity a city may rebuild per unit it closed by cuts while approvals are frozen")     \
  X(demand_growth_rate, "demand.growth_rate", "1/year", 0.0, -0.2, 0.2,                             \
    "assumption: national demand for each resource where no demand path is given, relative to "     \
    "the 2013 output of the region's cities (flat by default)")                                     \
  X(resource_additions_to_production, "resource.additions_to_production", "1/year", 0.3, 0.0, 2.0,  \
    "cal §6.2: reserve additions / production 0.2-0.6 per year in growing and mature cities "      \
    "(estimate)")                                                                                   \
  X(resource_declining_discovery_factor, "resource.declining_discovery_factor", "1", 0.1, 0.0,      \
    1.0, "cal §6.2: additions near 0 in declining cities; assumption: 10 % of the mature rate")     \
  X(resource_discoveries_per_year, "resource.discoveries_per_year", "1/year", 0.5, 0.0, 12.0,       \
    "assumption: reserve additions arrive as ~1 discovery per 2 years per city (Poisson)")          \
  X(environment_degradation_factor, "environment.degradation_factor", "1", 1.0, 0.0, 10.0,          \
    "derived: each city keeps degrading land at its historical ha per unit extracted (seed "        \
    "degraded land / cumulative extraction); this factor scales that ratio")                        \
  X(environment_restoration_share, "environment.restoration_share", "1/year", 0.02, 0.0, 0.5,       \
    "assumption: 2 %/yr of unrestored degraded land is restored without new policy "                \
    "(restoration rate 28 % in 2012, cal §6.1)")                                                    \
  /* labour */                                                                                      \
  X(labour_retirement_rate, "labour.retirement_rate", "1/year", 0.025, 0.0, 0.2,                    \
    "assumption: ~40-year working life")                                                            \
  X(labour_layoff_market_share, "labour.layoff_market_share", "1", 0.6, 0.0, 1.0,                   \
    "assumption: share of workers of a closing mine who enter the labour market (rest: early "      \
    "retirement and internal redeployment, see next two)")                                          \
  X(labour_layoff_retirement_share, "labour.layoff_retirement_share", "1", 0.2, 0.0, 1.0,           \
    "assumption (cal §6.3 gives 1/3 each for the 2016 capacity cuts)")                              \
  X(labour_job_finding_rate, "labour.job_finding_rate", "1/month", 0.03, 0.0, 1.0,                  \
    "assumption: monthly hazard of an untrained ex-miner finding a job when vacancies are "         \
    "plentiful")                                                                                    \
  X(labour_long_term_months, "labour.long_term_months", "months", 12.0, 1.0, 60.0,                  \
    "definition: unemployed for 12 months or more is long-term")                                    \
  X(labour_social_assistance_rate, "labour.social_assistance_rate", "1/year", 0.2, 0.0, 1.0,        \
    "assumption: hazard of a long-term unemployed ex-miner entering 低保")                          \
  X(labour_training_uptake, "labour.training_uptake", "1/month", 0.05, 0.0, 1.0,                    \
    "cal §6.4: 10-30 % of eligible ex-miners decline training in year 1; assumption: 5 %/month "   \
    "enrol")                                                                                        \
  X(labour_natural_unemployment_rate, "labour.natural_unemployment_rate", "1", 0.035, 0.0, 0.2,     \
    "cal §6.1: registered unemployment 4.5 % in resource cities (2012, incl. ex-miners); "         \
    "assumption: 3.5 % frictional floor of the rest of the labour force")                           \
  X(labour_local_adjustment, "labour.local_adjustment", "1/month", 0.1, 0.01, 1.0,                  \
    "assumption: share of the gap between local unemployment and its target closed per month")      \
  X(labour_long_term_factor, "labour.long_term_factor", "1", 0.5, 0.0, 1.0,                         \
    "assumption: job finding and training enrolment of the long-term unemployed relative to the "   \
    "short-term (duration dependence)")                                                             \
  X(labour_initial_long_term_share, "labour.initial_long_term_share", "1", 0.5, 0.0, 1.0,           \
    "assumption: share of the 2013 unemployed ex-miners unemployed for 12 months or more")          \
  /* retraining */                                                                                  \
  X(retraining_course_months, "retraining.course_months", "months", 3.0, 1.0, 36.0,                 \
    "cal §6.4 / §4.3: short courses 1-3 months, medium 3-12")                                       \
  X(retraining_completion_rate, "retraining.completion_rate", "1", 0.9, 0.0, 1.0,                   \
    "cal §4.3: national programme 2001-03, pass rate >= 90 %")                                      \
  X(retraining_placement_rate, "retraining.placement_rate", "1", 0.6, 0.0, 1.0,                     \
    "cal §6.4: placement within 12 months of graduation 0.45-0.75 (Heilongjiang 0.65)")             \
  /* replacement industry */                                                                        \
  X(replacement_growth_rate, "replacement.growth_rate", "1/year", 0.08, 0.0, 0.5,                   \
    "assumption: logistic growth rate; the 2013 plan targets +6 pp replacement share by 2020 "      \
    "(cal §4.5)")                                                                                   \
  X(replacement_ceiling_multiple, "replacement.ceiling_multiple", "1", 3.0, 1.0, 20.0,              \
    "assumption: ceiling of replacement VA as a multiple of its 2013 value, before investment "     \
    "and parks")                                                                                    \
  X(replacement_jobs_per_yi, "replacement.jobs_per_yi", "persons per 亿元 VA", 800.0, 50.0,         \
    5000.0,                                                                                         \
    "assumption: ~125,000 CNY value added per worker in replacement industries (2012 prices)")      \
  X(replacement_park_ceiling, "replacement.park_ceiling", "1e8 CNY/year", 20.0, 0.0, 1000.0,        \
    "assumption: value-added ceiling one industrial park adds (2013 plan §5: parks and "           \
    "clusters 10/50/100)")                                                                          \
  X(replacement_park_construction_months, "replacement.park_construction_months", "months", 24.0,   \
    0.0, 120.0, "assumption: construction delay from decision to opening")                          \
  X(replacement_ceiling_per_investment, "replacement.ceiling_per_investment", "1", 0.5, 0.0, 10.0,  \
    "assumption: value-added ceiling (1e8 CNY/year) added per 1e8 CNY invested")                    \
  X(resource_exploration_elasticity, "resource.exploration_elasticity", "1", 0.5, 0.0, 5.0,         \
    "assumption: discovery rate x (1 + elasticity x exploration spending / resource VA)")           \
  X(environment_remediation_cost, "environment.remediation_cost", "1e4 CNY/ha", 15.0, 0.1, 1000.0,  \
    "assumption: cost of restoring one hectare of mining-degraded land")                            \
  X(replacement_turnover, "replacement.turnover", "1/month", 0.01, 0.0, 0.2,                        \
    "assumption: monthly job turnover that opens vacancies")                                        \
  X(replacement_exminer_vacancy_share, "replacement.exminer_vacancy_share", "1", 0.3, 0.0, 1.0,     \
    "assumption: share of replacement-industry vacancies that untrained ex-miners can take (the "   \
    "rest need skills)")                                                                            \
  X(retraining_skilled_vacancy_share, "retraining.skilled_vacancy_share", "1", 0.5, 0.0, 1.0,       \
    "assumption: share of the skilled replacement-industry vacancies that retrained ex-miners "     \
    "win against other applicants")                                                                 \
  X(labour_other_vacancy_rate, "labour.other_vacancy_rate", "1/month", 0.001, 0.0, 0.05,            \
    "assumption: vacancies elsewhere in the economy open to untrained ex-miners, per member of "    \
    "the rest of the labour force")                                                                 \
  /* economy */                                                                                     \
  X(economy_growth_shift, "economy.growth_shift", "1/year", 0.0, -0.06, 0.06,                       \
    "assumption: shift added to every province's growth path of the non-resource economy "          \
    "(seeds/regions/provinces.csv: observed 2013-2023, assumed after)")                             \
  X(economy_city_growth_sd, "economy.city_growth_sd", "1/year", 0.01, 0.0, 0.05,                    \
    "assumption: sd of a city's own growth deviation from its province (drawn per city and "        \
    "replication)")                                                                                 \
  X(economy_job_multiplier, "economy.job_multiplier", "1", 1.0, 0.0, 5.0,                           \
    "cal §4.4 / §6.5: 0.5-1.5 induced local jobs per direct mining job (the 4-5 of the whole "    \
    "national coal chain is an upper bound)")                                                       \
  X(economy_va_linkage, "economy.va_linkage", "1", 0.3, 0.0, 1.0,                                   \
    "cal §4.4 (chain effects along the coal chain); assumption: share of a change in resource "    \
    "value added passed on to the rest of the local economy (local demand, fiscal revenue)")        \
  X(economy_employment_elasticity, "economy.employment_elasticity", "1", 0.2, 0.0, 1.0,             \
    "assumption: elasticity of residents' employment rate to the city's non-resource value added "  \
    "relative to the nation's growth")                                                              \
  X(economy_multiplier_half_life, "economy.multiplier_half_life", "years", 5.0, 0.5, 50.0,          \
    "assumption: induced job losses fade as the local economy adjusts, with this half-life")        \
  /* migration */                                                                                   \
  X(migration_out_rate, "migration.out_rate", "1/year", 0.002, 0.0, 0.1,                            \
    "cal §6.6: small baseline net out-migration, stated as an assumption")                          \
  X(migration_gross_rate, "migration.gross_rate", "1/year", 0.01, 0.001, 0.1,                       \
    "assumption: gross in- and out-migration of a city in balance (net flows ride on it)")          \
  X(migration_income_response, "migration.income_response", "1/year", 0.05, 0.0, 0.5,               \
    "cal §4.6 (migrants follow wages, Zhang & Zhao 2011); assumption: +0.05 net migration per "    \
    "year per log point of income growth above the national average")                               \
  X(migration_hukou_barrier, "migration.hukou_barrier", "1", 0.5, 0.0, 1.0,                         \
    "cal §4.6: hukou damps inter-provincial moves; assumption: half of the response of moves "     \
    "from outside the province is lost")                                                            \
  X(migration_city_effect_sd, "migration.city_effect_sd", "1/year", 0.004, 0.0, 0.03,               \
    "assumption: sd of a city's attractiveness (net migration per year), drawn per city and "       \
    "replication, so that cities of one class do not move in lock-step")                            \
  X(migration_distance_exponent, "migration.distance_exponent", "1", 1.0, 0.0, 3.0,                 \
    "assumption: gravity weight population / distance^x of moves between cities of a province "     \
    "(cal §4.6: distance deters migrants)")                                                         \
  X(migration_unemployment_push, "migration.unemployment_push", "1", 20.0, 0.0, 100.0,              \
    "cal §6.6: the unemployed's leaving hazard rises by this share per unit of excess "            \
    "unemployment (20: +20 % per percentage point)")                                                \
  X(migration_declining_factor, "migration.declining_factor", "1", 2.5, 1.0, 10.0,                  \
    "cal §6.6: declining and forest cities highest (assumption: x2.5)")                             \
  X(migration_unemployment_response, "migration.unemployment_response", "1", 0.2, 0.0, 1.0,         \
    "cal §6.6: +0.1 to +0.3 pp net out-migration per pp of excess unemployment")                    \
  X(migration_ex_miner_rate, "migration.ex_miner_rate", "1/month", 0.005, 0.0, 0.2,                 \
    "assumption: monthly hazard of an unemployed ex-miner leaving the city")                        \
  X(migration_within_province_share, "migration.within_province_share", "1", 0.3, 0.0, 1.0,         \
    "cal §4.6: hukou damps inter-provincial moves; assumption: 30 % of leaving ex-miners go to "   \
    "a growing city of the same province")                                                          \
  /* prices (market LP) */                                                                          \
  X(prices_half_life_years, "prices.half_life_years", "years", 1.5, 0.1, 20.0,                      \
    "cal §6.8: mean-reversion half-life 1-2 years")                                                 \
  X(prices_volatility, "prices.volatility", "1/sqrt(year)", 0.2, 0.0, 1.0,                          \
    "cal §6.8: annual volatility 15-25 %")                                                          \
  X(prices_long_run_index, "prices.long_run_index", "1", 1.0, 0.1, 5.0,                             \
    "cal §6.8: long-run mean 550-600 yuan/t (BSPI 2016-2020), ~ the 2013 level; index 2013 = 1")    \
  X(prices_tightness_elasticity, "prices.tightness_elasticity", "1", 1.0, 0.0, 5.0,                 \
    "assumption: the log price's long-run mean moves by this times log(demand / (normal "           \
    "utilisation x capacity)), bounded to +-1")                                                     \
  /* classification */                                                                              \
  X(classification_exhaustion_threshold, "classification.exhaustion_threshold", "1", 0.7, 0.0,      \
    1.0, "cal §4.1 / §6.2: exhausted when cumulative extraction >= 70 % of recoverable reserves")   \
  X(classification_mature_threshold, "classification.mature_threshold", "1", 0.3, 0.0, 1.0,         \
    "assumption: growing -> mature when 30 % of reserves are extracted")                            \
  X(classification_regenerating_dependence, "classification.regenerating_dependence", "1", 0.05,    \
    0.0, 1.0,                                                                                       \
    "cal §6.2: regenerating when resource dependence is low (threshold a modelling choice)")        \
  X(classification_regenerating_replacement_share,                                                  \
    "classification.regenerating_replacement_share", "1", 0.2, 0.0, 1.0,                            \
    "cal §6.2: ... and the replacement-industry share high (modelling choice)")

enum class Param : std::size_t {
#define REGSIM_X(id, name, unit, def, lo, hi, source) id,
  REGSIM_MODEL_PARAMETERS(REGSIM_X)
#undef REGSIM_X
};

struct ParamSpec {
  std::string_view name;
  std::string_view unit;
  double default_value;
  double min;
  double max;
  std::string_view source;
};

inline constexpr ParamSpec param_specs[] = {
#define REGSIM_X(id, name, unit, def, lo, hi, source) {name, unit, def, lo, hi, source},
    REGSIM_MODEL_PARAMETERS(REGSIM_X)
#undef REGSIM_X
};
inline constexpr std::size_t param_count = std::size(param_specs);

/// A parameter's name, unit, default, range and source.
constexpr const ParamSpec& spec(Param p) { return param_specs[static_cast<std::size_t>(p)]; }

/// The parameter with this dotted name, or std::nullopt.
std::optional<Param> find_param(std::string_view name);

/// Values for every parameter; starts at the defaults.
class Parameters {
 public:
  Parameters();
  double operator[](Param p) const { return values_[static_cast<std::size_t>(p)]; }
  /// Sets a value; throws std::out_of_range with the valid range if outside it.
  void set(Param p, double value);

 private:
  std::array<double, param_count> values_;
};

}  // namespace regsim::model
