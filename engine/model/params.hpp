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

// X(id, "dotted.name", "unit", default, min, max, "source or assumption")
#define REGSIM_MODEL_PARAMETERS(X)                                                                 \
  /* resource */                                                                                   \
  X(productivity_growth, "resource.productivity_growth", "1/year", 0.05, 0.0, 0.3,                 \
    "cal §6.3: 13th FYP target 650-750 -> 1300 t per worker-year 2013-2020 (~10 %/yr), "          \
    "net of output growth; assumption: 5 %/yr of mine jobs shed by productivity")                  \
  X(additions_to_production, "resource.additions_to_production", "1/year", 0.3, 0.0, 2.0,          \
    "cal §6.2: reserve additions / production 0.2-0.6 per year in growing and mature cities "     \
    "(estimate)")                                                                                  \
  X(declining_discovery_factor, "resource.declining_discovery_factor", "1", 0.1, 0.0, 1.0,         \
    "cal §6.2: additions near 0 in declining cities; assumption: 10 % of the mature rate")         \
  X(discoveries_per_year, "resource.discoveries_per_year", "1/year", 0.5, 0.0, 12.0,               \
    "assumption: reserve additions arrive as ~1 discovery per 2 years per city (Poisson)")         \
  X(degradation_factor, "environment.degradation_factor", "1", 1.0, 0.0, 10.0,                     \
    "derived: each city keeps degrading land at its historical ha per unit extracted (seed "       \
    "degraded land / cumulative extraction); this factor scales that ratio")                       \
  X(restoration_share, "environment.restoration_share", "1/year", 0.02, 0.0, 0.5,                  \
    "assumption: 2 %/yr of unrestored degraded land is restored without new policy "               \
    "(restoration rate 28 % in 2012, cal §6.1)")                                                   \
  /* labour */                                                                                     \
  X(retirement_rate, "labour.retirement_rate", "1/year", 0.025, 0.0, 0.2,                          \
    "assumption: ~40-year working life")                                                           \
  X(layoff_market_share, "labour.layoff_market_share", "1", 0.6, 0.0, 1.0,                         \
    "assumption: share of workers of a closing mine who enter the labour market (rest: early "     \
    "retirement and internal redeployment, see next two)")                                         \
  X(layoff_retirement_share, "labour.layoff_retirement_share", "1", 0.2, 0.0, 1.0,                 \
    "assumption (cal §6.3 gives 1/3 each for the 2016 capacity cuts)")                             \
  X(job_finding_rate, "labour.job_finding_rate", "1/month", 0.03, 0.0, 1.0,                        \
    "assumption: monthly hazard of an untrained ex-miner finding a job when vacancies are "        \
    "plentiful")                                                                                   \
  X(long_term_months, "labour.long_term_months", "months", 12.0, 1.0, 60.0,                        \
    "definition: unemployed for 12 months or more is long-term")                                   \
  X(social_assistance_rate, "labour.social_assistance_rate", "1/year", 0.2, 0.0, 1.0,              \
    "assumption: hazard of a long-term unemployed ex-miner entering 低保")                         \
  X(training_uptake, "labour.training_uptake", "1/month", 0.05, 0.0, 1.0,                          \
    "cal §6.4: 10-30 % of eligible ex-miners decline training in year 1; assumption: 5 %/month "  \
    "enrol")                                                                                       \
  X(other_unemployment_rate, "labour.other_unemployment_rate", "1", 0.04, 0.0, 0.3,                \
    "cal §6.1: registered unemployment 4.5 % (incl. ex-miners); assumption: 4 % for the rest of " \
    "the labour force")                                                                            \
  /* retraining */                                                                                 \
  X(course_months, "retraining.course_months", "months", 3.0, 1.0, 36.0,                           \
    "cal §6.4 / §4.3: short courses 1-3 months, medium 3-12")                                      \
  X(completion_rate, "retraining.completion_rate", "1", 0.9, 0.0, 1.0,                             \
    "cal §4.3: national programme 2001-03, pass rate >= 90 %")                                     \
  X(placement_rate, "retraining.placement_rate", "1", 0.6, 0.0, 1.0,                               \
    "cal §6.4: placement within 12 months of graduation 0.45-0.75 (Heilongjiang 0.65)")            \
  /* replacement industry */                                                                       \
  X(replacement_growth, "replacement.growth_rate", "1/year", 0.08, 0.0, 0.5,                       \
    "assumption: logistic growth rate; the 2013 plan targets +6 pp replacement share by 2020 "     \
    "(cal §4.5)")                                                                                  \
  X(replacement_ceiling, "replacement.ceiling_multiple", "1", 3.0, 1.0, 20.0,                      \
    "assumption: ceiling of replacement VA as a multiple of its 2013 value, before investment "    \
    "and parks")                                                                                   \
  X(jobs_per_yi, "replacement.jobs_per_yi", "persons per 亿元 VA", 800.0, 50.0, 5000.0,            \
    "assumption: ~125,000 CNY value added per worker in replacement industries (2012 prices)")     \
  X(park_ceiling, "replacement.park_ceiling", "1e8 CNY/year", 20.0, 0.0, 1000.0,                   \
    "assumption: value-added ceiling one industrial park adds (2013 plan §5: parks and "          \
    "clusters 10/50/100)")                                                                         \
  X(park_construction_months, "replacement.park_construction_months", "months", 24.0, 0.0, 120.0,  \
    "assumption: construction delay from decision to opening")                                     \
  X(ceiling_per_investment, "replacement.ceiling_per_investment", "1", 0.5, 0.0, 10.0,             \
    "assumption: value-added ceiling (1e8 CNY/year) added per 1e8 CNY invested")                   \
  X(exploration_elasticity, "resource.exploration_elasticity", "1", 0.5, 0.0, 5.0,                 \
    "assumption: discovery rate x (1 + elasticity x exploration spending / resource VA)")          \
  X(remediation_cost, "environment.remediation_cost", "1e4 CNY/ha", 15.0, 0.1, 1000.0,             \
    "assumption: cost of restoring one hectare of mining-degraded land")                           \
  X(turnover, "replacement.turnover", "1/month", 0.01, 0.0, 0.2,                                   \
    "assumption: monthly job turnover that opens vacancies")                                       \
  X(exminer_vacancy_share, "replacement.exminer_vacancy_share", "1", 0.3, 0.0, 1.0,                \
    "assumption: share of replacement-industry vacancies that untrained ex-miners can take (the "  \
    "rest need skills)")                                                                           \
  X(skilled_vacancy_share, "retraining.skilled_vacancy_share", "1", 0.5, 0.0, 1.0,                 \
    "assumption: share of the skilled replacement-industry vacancies that retrained ex-miners "    \
    "win against other applicants")                                                                \
  X(other_vacancy_rate, "labour.other_vacancy_rate", "1/month", 0.001, 0.0, 0.05,                  \
    "assumption: vacancies elsewhere in the economy open to untrained ex-miners, per member of "   \
    "the rest of the labour force")                                                                \
  /* economy */                                                                                    \
  X(other_growth, "economy.other_growth_rate", "1/year", 0.06, -0.1, 0.2,                          \
    "assumption: real growth of the non-resource, non-replacement economy")                        \
  /* migration */                                                                                  \
  X(out_migration, "migration.out_rate", "1/year", 0.002, 0.0, 0.1,                                \
    "cal §6.6: small baseline net out-migration, stated as an assumption")                         \
  X(declining_migration_factor, "migration.declining_factor", "1", 2.5, 1.0, 10.0,                 \
    "cal §6.6: declining and forest cities highest (assumption: x2.5)")                            \
  X(migration_unemployment_response, "migration.unemployment_response", "1", 0.2, 0.0, 1.0,        \
    "cal §6.6: +0.1 to +0.3 pp out-migration per pp of excess unemployment")                       \
  X(exminer_migration, "migration.ex_miner_rate", "1/month", 0.005, 0.0, 0.2,                      \
    "assumption: monthly hazard of an unemployed ex-miner leaving the city")                       \
  X(within_province_share, "migration.within_province_share", "1", 0.3, 0.0, 1.0,                  \
    "cal §4.6: hukou damps inter-provincial moves; assumption: 30 % of leaving ex-miners go to "  \
    "a growing city of the same province")                                                         \
  /* prices (market LP) */                                                                         \
  X(price_half_life, "prices.half_life_years", "years", 1.5, 0.1, 20.0,                            \
    "cal §6.8: mean-reversion half-life 1-2 years")                                                \
  X(price_volatility, "prices.volatility", "1/sqrt(year)", 0.2, 0.0, 1.0,                          \
    "cal §6.8: annual volatility 15-25 %")                                                         \
  X(price_long_run, "prices.long_run_index", "1", 1.0, 0.1, 5.0,                                   \
    "cal §6.8: long-run mean 550-600 yuan/t (BSPI 2016-2020), ~ the 2013 level; index 2013 = 1")   \
  /* classification */                                                                             \
  X(exhaustion_threshold, "classification.exhaustion_threshold", "1", 0.7, 0.0, 1.0,               \
    "cal §4.1 / §6.2: exhausted when cumulative extraction >= 70 % of recoverable reserves")       \
  X(mature_threshold, "classification.mature_threshold", "1", 0.3, 0.0, 1.0,                       \
    "assumption: growing -> mature when 30 % of reserves are extracted")                           \
  X(regenerating_dependence, "classification.regenerating_dependence", "1", 0.05, 0.0, 1.0,        \
    "cal §6.2: regenerating when resource dependence is low (threshold a modelling choice)")       \
  X(regenerating_replacement, "classification.regenerating_replacement_share", "1", 0.2, 0.0, 1.0, \
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
