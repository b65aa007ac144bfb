// The city model as event handlers on the event core (DESIGN §3). Each
// city is an LP; one more LP, the market, sets each resource's price and
// the national utilisation of its capacity a month ahead (demand / open
// capacity), and orders new production units; cities read what it wrote in
// an earlier window, and it reads the capacity they reported in an earlier
// window, so no two LPs touch the same data in one window.
//
// People are integers in exactly one pool each, and every flow between
// pools is a binomial or multinomial draw, so the accounting identities
// hold exactly; they are checked every month in every city (always on).
// Reserves are integer thousandths of the city's resource unit.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "des/executor.hpp"
#include "des/random_stream.hpp"
#include "model/calendar.hpp"
#include "model/city_catalogue.hpp"
#include "model/indicators.hpp"
#include "model/params.hpp"
#include "support/errors.hpp"

namespace regsim::model {

/// What happens, as recorded in the event log.
enum class LogKind : std::uint8_t {
  trigger,
  mine_closure,
  reclassification,
  discovery,
  policy,
  park_opening,
  unit_opening,  ///< value: the new unit's capacity, resource units per year
};

struct LoggedEvent {
  double time_months;
  std::uint32_t city;  ///< city index
  LogKind kind;
  double value;  ///< closure: workforce laid off; reclassification: new class;
                 ///< policy, trigger: the policy's index in the scenario; ...
};

/// The payload of every model event (16 bytes).
struct CityEvent {
  enum class Kind : std::uint8_t {
    tick,
    price,
    closure,
    discovery,
    graduation,
    arrival,
    action,
    year_end,
    park_opening,
    capacity_order,  ///< from the market: build a unit of `amount` thousandths per year
    unit_opening,    ///< a unit under construction starts producing
  };
  Kind kind = Kind::tick;
  std::uint32_t index = 0;  ///< unit (closure, unit_opening), action, arrival pool
  std::int64_t amount = 0;  ///< persons (graduation, arrival), capacity (capacity_order)
};

/// Who travels in an arrival event (CityEvent::index).
enum class ArrivalPool : std::uint32_t { ex_miners = 0, residents = 1 };

/// Event priorities at the same month: policies first, then prices,
/// closures and discoveries, cohorts, the monthly tick, the year's end.
namespace priority {
inline constexpr des::Priority action = 0;
inline constexpr des::Priority price = 1;
inline constexpr des::Priority closure = 2;
inline constexpr des::Priority arrival = 2;
inline constexpr des::Priority graduation = 3;
inline constexpr des::Priority tick = 4;
inline constexpr des::Priority year_end = 5;
}  // namespace priority

/// What model code may ask of the executor; block code in .cpp files uses
/// it so that it need not be a template over the executor type.
class Scheduler {
 public:
  virtual ~Scheduler() = default;
  virtual des::Time now() const = 0;
  virtual void schedule(des::Time at, const CityEvent& e, des::Priority p) = 0;
  virtual des::EventHandle schedule_cancellable(des::Time at, const CityEvent& e,
                                                des::Priority p) = 0;
  virtual bool cancel(des::EventHandle h) = 0;
  virtual void send(des::LpId to, des::Time at, const CityEvent& e, des::Priority p) = 0;
};

/// The pools a city's people are in, besides the mines' workforces: every
/// person is in exactly one pool or one workforce.
enum class Pool : std::uint8_t {
  others,                ///< residents who never mined, outside the unemployed
  local_unemployed,      ///< unemployed residents who never mined
  unemployed_short,      ///< ex-miners < 12 months unemployed
  unemployed_long,       ///< ex-miners >= 12 months
  training_queue,        ///< ex-miners waiting for a seat
  trainees,              ///< in courses (cohorts are graduation events)
  graduates_seeking,     ///< trained, looking for work
  reemployed,            ///< ex-miners in new jobs
  public_jobs,           ///< ex-miners in public-welfare jobs
  assistance_ex_miners,  ///< ex-miners on 低保
  retired,               ///< retired miners and ex-miners
};

/// What the indicators count a pool as. Residents' labour force is a share
/// of the two resident pools (CityModel::local_labour_force); an ex-miner
/// pool is in the labour force or not as a whole.
struct PoolSpec {
  Pool pool;
  bool ex_miners;     ///< a pool of former miners (else residents who never mined)
  bool labour_force;  ///< ex-miner pools: counted in the labour force
  bool unemployed;    ///< counted as registered unemployed
};

/// One row per pool, in Pool order: adding a pool is one line here and one
/// in Pool.
inline constexpr PoolSpec pool_specs[] = {
    {Pool::others, false, false, false},         {Pool::local_unemployed, false, false, true},
    {Pool::unemployed_short, true, true, true},  {Pool::unemployed_long, true, true, true},
    {Pool::training_queue, true, true, true},    {Pool::trainees, true, false, false},
    {Pool::graduates_seeking, true, true, true}, {Pool::reemployed, true, true, false},
    {Pool::public_jobs, true, true, false},      {Pool::assistance_ex_miners, true, false, false},
    {Pool::retired, true, false, false},
};
inline constexpr std::size_t pool_count = std::size(pool_specs);
static_assert(
    [] {
      for (std::size_t i = 0; i < pool_count; ++i) {
        if (static_cast<std::size_t>(pool_specs[i].pool) != i) return false;
      }
      return true;
    }(),
    "pool_specs: one row per Pool, in Pool order");

/// Persons per city in each pool: pools[Pool::trainees][c].
class PoolTable {
 public:
  std::vector<std::int64_t>& operator[](Pool p) { return by_pool_[static_cast<std::size_t>(p)]; }
  const std::vector<std::int64_t>& operator[](Pool p) const {
    return by_pool_[static_cast<std::size_t>(p)];
  }
  /// Every pool holds `cities` zeros.
  void assign(std::size_t cities) {
    for (auto& v : by_pool_) v.assign(cities, 0);
  }

 private:
  std::array<std::vector<std::int64_t>, pool_count> by_pool_;
};

/// One replication's mutable state, structure of arrays by city index.
struct CityState {
  PoolTable pools;                              ///< people by pool (persons)
  std::vector<std::int64_t> migrated_in;        ///< cumulative arrivals (cities and elsewhere)
  std::vector<std::int64_t> migrated_out;       ///< cumulative departures
  std::vector<std::int64_t> natural_change;     ///< cumulative births - deaths
  std::vector<std::int64_t> ex_miner_arrivals;  ///< cumulative, from cities of the province
  std::vector<std::int64_t> cumulative_reemployed;
  std::vector<std::int64_t> initial_people;  ///< for the conservation check

  // Production units (CSR by city: CityModel::units_of; the catalogue's
  // units first, then slots for new ones).
  std::vector<std::int64_t> mine_reserve;    ///< thousandths of a resource unit
  std::vector<std::int64_t> mine_capacity;   ///< thousandths per year
  std::vector<std::int64_t> mine_workforce;  ///< persons
  std::vector<std::uint8_t> mine_open;
  std::vector<std::uint8_t> mine_building;    ///< under construction (capacity set, not producing)
  std::vector<double> mine_workers_per_unit;  ///< persons per resource unit/year at full use
  std::vector<des::EventHandle> mine_closure;
  std::vector<std::uint8_t> approvals_open;  ///< new units may be approved (policy: freeze)
  std::vector<std::int64_t> swap_credit;     ///< capacity (thousandths/yr) rebuildable while frozen
  std::vector<std::int64_t> opened_capacity;      ///< new capacity opened since the start
  std::vector<std::int64_t> undeveloped_reserve;  ///< discoveries with no open mine to take them
  std::vector<std::int64_t> extracted;            ///< since the start, thousandths
  std::vector<std::int64_t> discovered;           ///< since the start, thousandths
  std::vector<std::int64_t> initial_reserve;      ///< thousandths
  std::vector<std::int64_t> production_month;     ///< last month's output, thousandths
  std::vector<std::int64_t> ticks_done;           ///< months ticked so far (= next tick's month)

  // Economy, training, land, policy levels.
  std::vector<double> replacement_va;       ///< 亿元/year
  std::vector<double> replacement_ceiling;  ///< 亿元/year
  std::vector<double> other_va;             ///< 亿元/year
  std::vector<double> growth_offset;        ///< city's own growth deviation, 1/year (drawn)
  std::vector<double> attractiveness;       ///< city effect on net migration, 1/year (drawn)
  std::vector<double> va_per_unit;    ///< resource VA per resource unit at price index 1, 亿元
  std::vector<double> degraded_land;  ///< ha
  std::vector<double> restored_land;  ///< ha
  std::vector<double> degraded_ha_per_milli;  ///< historical ratio, ha per thousandth unit
  std::vector<std::int64_t> seats;            ///< training seats
  std::vector<double> course_months;
  std::vector<double> cap_factor;  ///< output cap as a share of capacity (policies)
  std::vector<Category> city_class;
  std::vector<double> exploration_yi;   ///< exploration spending, 亿元/year (raises discoveries)
  std::vector<double> completion_rate;  ///< share of a cohort that graduates (policies)
  std::vector<double> placement_rate;   ///< share of graduates placed within a year (policies)
  std::vector<double> job_finding_factor;  ///< multiplies labour.job_finding_rate (policies)

  // Fiscal flows since the start, 亿元 (2012 prices).
  std::vector<double> transfers_received;
  std::vector<double> spending;  ///< training, parks, exploration, remediation, public jobs

  std::vector<std::vector<LoggedEvent>> log;  ///< per city, merged in city order
};

/// A policy action at a date, or run by a trigger: levers compile to these.
struct Action {
  des::Time at_month = 0.0;  ///< when it runs; a trigger's action has no date (ignored)
  std::uint32_t city = 0;
  std::function<void(class CityModel&, Scheduler&, std::uint32_t city)> apply;
  std::uint32_t policy = 0;  ///< the scenario policy it comes from: the value of its log entry
};

/// Runs an action when a city's indicator has been above (or below) a
/// threshold for `for_months` consecutive months, checked after each
/// monthly tick. It fires only within its policy's window [from_month,
/// until_month): months before the window count toward the run, but a
/// trigger neither fires nor disarms outside it. Once fired it stays quiet
/// unless `rearm`, in which case the condition must first stop holding.
struct Trigger {
  Action action;  ///< what it runs, in action.city
  Indicator indicator = Indicator::unemployment_rate;
  bool above = true;
  double threshold = 0.0;
  std::uint32_t for_months = 1;
  bool rearm = false;
  des::Time from_month = 0.0;
  des::Time until_month = des::never;
};

/// One city's entry in a lever's ledger slot (CityModel::ledger): what the
/// lever's start action did, for its end action to undo.
struct LedgerEntry {
  std::int64_t count = 0;  ///< persons or seats the lever added
  double value = 0.0;      ///< a level the lever replaced
};

/// What one replication has of its own: the key of its random streams and
/// its parameter values (the scenario's, then its sampled ones).
struct ReplicationInputs {
  std::uint64_t seed = 1;
  std::uint64_t replication = 0;
  Parameters params;
};

/// What every replication of a scenario shares, compiled once
/// (scenario::compile) and read by all of them at once: the length, the
/// policies' actions and triggers, and the market paths.
struct ModelConfig {
  std::uint32_t months = default_months;  ///< simulated months from 2013-01
  std::vector<Action> actions;            ///< scheduled at their dates
  std::vector<Trigger> triggers;          ///< each with the action it runs when it fires
  /// Ledger slots the actions use (CityModel::ledger); the model owns the
  /// entries, so one config can run in several replications at once.
  std::uint32_t ledger_slots = 0;
  /// Optional price-index paths by resource (index 1 = the start level);
  /// a NaN month, and months beyond a path, follow the stochastic process
  /// (beyond it, from its last value).
  std::array<std::vector<double>, enum_count<Resource>> price_paths;
  /// Optional factors by resource and month since 2013-01, multiplied onto
  /// the price index (the stochastic process or a path); months beyond a
  /// factor path have factor 1.
  std::array<std::vector<double>, enum_count<Resource>> price_factors;
  /// Optional national demand paths by resource and month, relative to the
  /// region's 2013 output (index 1); months beyond a path keep its last
  /// value; without a path demand grows at demand.growth_rate.
  std::array<std::vector<double>, enum_count<Resource>> demand_paths;
  /// Factors on demand by resource and month (levers: a carbon-peak path).
  std::array<std::vector<double>, enum_count<Resource>> demand_factors;
};

class CityModel {
 public:
  using Event = CityEvent;

  /// `config` is read, not copied: it must outlive the model.
  CityModel(const CityCatalogue& catalogue, const ModelConfig& config, ReplicationInputs inputs);
  /// A branch of `history`, whose executor has run every event before
  /// month `fork_month`: the same state, driven by `branch` from then on
  /// (its length, its market paths, its triggers; its actions from
  /// fork_month on are scheduled by resume()). The result equals a run of
  /// `branch` from month 0 when branch would have given history's past
  /// (model::market_difference, scenario::check_shared_history).
  CityModel(const CityModel& history, const ModelConfig& branch, std::uint32_t fork_month);
  /// As above, taking history's state instead of copying it (the last branch).
  CityModel(CityModel&& history, const ModelConfig& branch, std::uint32_t fork_month);

  /// At a branch's start (des::WindowedExecutor's branch constructor), per
  /// LP: history's pending policy actions give way to the branch's own.
  template <class Ctx>
  void resume(Ctx& ctx) {
    ctx.drop_pending_if([](const CityEvent& e) { return e.kind == CityEvent::Kind::action; });
    Adapter<Ctx> s(ctx);
    if (ctx.self() != market_lp()) schedule_actions(s, ctx.self(), resume_month_);
  }

  template <class Ctx>
  void init(Ctx& ctx) {
    Adapter<Ctx> s(ctx);
    init_lp(s, ctx.self());
  }
  template <class Ctx>
  void handle(Ctx& ctx, const Event& e) {
    Adapter<Ctx> s(ctx);
    handle_event(s, ctx.self(), e);
  }

  des::LpId lp_count() const { return static_cast<des::LpId>(catalogue_.size() + 1); }
  des::LpId market_lp() const { return static_cast<des::LpId>(catalogue_.size()); }

  const CityCatalogue& catalogue() const { return catalogue_; }
  const Parameters& params() const { return inputs_.params; }
  /// The state, read-only: it changes only through the operations below.
  const CityState& state() const { return state_; }
  const Trajectories& trajectories() const { return trajectories_; }
  /// Hands the trajectories over (the model is done with them).
  Trajectories take_trajectories() { return std::move(trajectories_); }
  /// The event log of all cities, in (city, time) order.
  std::vector<LoggedEvent> event_log() const;
  /// Price index of resource r at month m (1 = start level).
  double price(Resource r, std::size_t month) const {
    return prices_[static_cast<std::size_t>(r)][month];
  }
  /// National demand for resource r in month m, thousandths per year.
  double demand(Resource r, std::size_t month) const;
  /// Share of open capacity used in month m (demand / capacity, at most 1).
  double utilisation(Resource r, std::size_t month) const {
    return utilisation_[static_cast<std::size_t>(r)][month];
  }
  /// The production units of city c: [first, last).
  std::pair<std::uint32_t, std::uint32_t> units_of(std::uint32_t c) const {
    return {unit_first_[c], unit_first_[c + 1]};
  }
  /// Capacity of city c's open units now, thousandths of a resource unit per year.
  std::int64_t open_capacity(std::uint32_t c) const;

  // Policy effects: what levers (and tests) may do to a city. Each keeps
  // the accounting identities: people only move between pools.
  /// Sets city c's output cap (share of capacity) from now; a cut lays off
  /// workers in proportion, split between the labour market, early
  /// retirement and redeployment.
  void set_output_cap(Scheduler& s, std::uint32_t c, double cap, double market_share,
                      double retirement_share);
  /// Closes city c's smallest open mines until `capacity` (thousandths per
  /// year) is closed.
  void close_smallest_mines(Scheduler& s, std::uint32_t c, std::int64_t capacity,
                            double market_share, double retirement_share);
  /// Starts an industrial park in the city whose event is running; it opens
  /// (raising the replacement ceiling) after the construction delay.
  void start_park(Scheduler& s, double ceiling_yi, double delay_months);
  /// Invests in replacement industries: raises the ceiling at once.
  void invest(std::uint32_t c, double yi);
  /// Restores degraded land for the money given (亿元).
  void remediate(std::uint32_t c, double yi);
  /// Sets city c's retraining completion rate (share of a cohort that
  /// graduates) and placement rate (share of graduates placed within a year
  /// when vacancies are plentiful); both are clamped to [0, 1] where used.
  void set_training_quality(std::uint32_t c, double completion_rate, double placement_rate);
  /// Changes city c's training seats by `delta` (never below 0 seats).
  void add_training_seats(std::uint32_t c, std::int64_t delta);
  /// Sets the course length of city c's cohorts starting from now.
  void set_course_months(std::uint32_t c, double course_months);
  /// Sets the factor on labour.job_finding_rate for city c's untrained
  /// ex-miners (the hires stay capped by the vacancies).
  void set_job_finding_factor(std::uint32_t c, double factor);
  /// Multiplies city c's job-finding factor by `factor` (a subsidy starts).
  void multiply_job_finding(std::uint32_t c, double factor);
  /// Divides city c's job-finding factor by `factor` (that subsidy ends).
  void divide_job_finding(std::uint32_t c, double factor);
  /// Moves `share` of city c's unemployed ex-miners not in training into
  /// public-welfare jobs (short-term unemployed first); returns how many.
  std::int64_t give_public_jobs(std::uint32_t c, double share);
  /// Returns up to `persons` of city c's public-job holders to short-term
  /// unemployment; returns how many.
  std::int64_t end_public_jobs(std::uint32_t c, std::int64_t persons);
  /// Sets city c's exploration spending (亿元/year); returns the level it replaces.
  double set_exploration(std::uint32_t c, double yi_per_year);
  /// Records a fiscal transfer of `yi` (亿元) received by city c.
  void receive_transfer(std::uint32_t c, double yi);
  /// Records `yi` (亿元) of policy spending in city c not recorded elsewhere.
  void spend(std::uint32_t c, double yi);
  /// Opens or freezes approvals of new production units in city c; while
  /// frozen, only capacity swaps (减量置换) are built, up to the swap credit.
  void set_approvals(std::uint32_t c, bool open);

  /// What a lever remembers for city c between its actions, in the ledger
  /// slot it was given at compile time (levers::new_ledger_slot); all
  /// entries start at zero. Only city c's LP touches it.
  LedgerEntry& ledger(std::uint32_t slot, std::uint32_t c) {
    return ledger_.at(static_cast<std::size_t>(slot) * catalogue_.size() + c);
  }

  /// People in all pools of city c (the conservation identity's left side).
  std::int64_t people(std::uint32_t c) const;
  std::int64_t miners(std::uint32_t c) const;
  std::int64_t reserve(std::uint32_t c) const;  ///< open mines + undeveloped

 private:
  template <class Ctx>
  class Adapter final : public Scheduler {
   public:
    explicit Adapter(Ctx& ctx) : ctx_(ctx) {}
    des::Time now() const override { return ctx_.now(); }
    void schedule(des::Time at, const CityEvent& e, des::Priority p) override {
      ctx_.schedule(at, e, p);
    }
    des::EventHandle schedule_cancellable(des::Time at, const CityEvent& e,
                                          des::Priority p) override {
      return ctx_.schedule_cancellable(at, e, p);
    }
    bool cancel(des::EventHandle h) override { return ctx_.cancel(h); }
    void send(des::LpId to, des::Time at, const CityEvent& e, des::Priority p) override {
      ctx_.send(to, at, e, p);
    }

   private:
    Ctx& ctx_;
  };

  void init_lp(Scheduler& s, des::LpId lp);
  /// Schedules city c's actions dated `from` or later, in config order.
  void schedule_actions(Scheduler& s, std::uint32_t c, double from);
  void handle_event(Scheduler& s, des::LpId lp, const CityEvent& e);

  // Blocks, a file each: resource.cpp (units, output, closures, new units,
  // mine jobs), market.cpp (prices, utilisation, capacity orders),
  // labour.cpp (ex-miners' flows), retraining.cpp, replacement.cpp,
  // local_economy.cpp, demography.cpp, environment.cpp, classification.cpp.
  void tick(Scheduler& s, std::uint32_t c);
  std::int64_t extract(Scheduler& s, std::uint32_t c);
  void adjust_mine_jobs(std::uint32_t c);
  void hire_miners(std::uint32_t c, std::uint32_t unit, std::int64_t persons);
  void report_capacity(std::uint32_t c, std::size_t month);
  double use_of(std::uint32_t c, std::size_t month) const;  // utilisation of c's resource
  std::int64_t target_workforce(std::uint32_t c, std::uint32_t unit, double use) const;
  std::int64_t developable_reserve(std::uint32_t c) const;
  std::int64_t national_capacity(std::size_t resource, std::size_t parity) const;
  void order_capacity(Scheduler& s, std::uint32_t c, std::int64_t capacity);
  void open_unit(Scheduler& s, std::uint32_t c, std::uint32_t unit);
  void plan_capacity(Scheduler& s, std::size_t month);
  void local_economy(std::uint32_t c, std::size_t month);
  void demography(Scheduler& s, std::uint32_t c, std::size_t month);
  double growth_rate(std::uint32_t c, std::size_t month) const;
  double natural_increase(std::uint32_t c, std::size_t month) const;
  void schedule_closure(Scheduler& s, std::uint32_t mine);
  void reschedule_closure(Scheduler& s, std::uint32_t mine);
  void close_mine(Scheduler& s, std::uint32_t c, std::uint32_t mine);
  void discover(Scheduler& s, std::uint32_t c);
  void schedule_next_discovery(Scheduler& s, std::uint32_t c);
  double grow_replacement(std::uint32_t c);
  void labour_flows(Scheduler& s, std::uint32_t c, double vacancies);
  void enrol(Scheduler& s, std::uint32_t c, std::int64_t enrolling);
  void graduate(std::uint32_t c, std::int64_t cohort);
  void arrive(std::uint32_t c, ArrivalPool pool, std::int64_t persons);
  void open_park(des::Time now, std::uint32_t c, double ceiling_yi);
  void update_land(std::uint32_t c, std::int64_t extracted_milli);
  void set_prices(std::size_t month);
  double price_factor(std::size_t r, std::size_t month) const;
  void classify(des::Time now, std::uint32_t c);
  void record(std::uint32_t c, std::size_t month);
  void check_invariants(std::uint32_t c) const;
  void check_triggers(Scheduler& s, std::uint32_t c, std::size_t month);

  // Persons of city c in the pools whose PoolSpec passes `counted`.
  template <class Pred>
  std::int64_t count_pools(std::uint32_t c, Pred counted) const;
  double labour_force(std::uint32_t c) const;
  double unemployed(std::uint32_t c) const;
  double unemployed_ex_miners(std::uint32_t c) const;
  double local_labour_force(std::uint32_t c) const;
  double resource_va_of(std::uint32_t c, std::size_t month) const;
  /// Non-resource value added: other + replacement, less what the resource
  /// sector's decline took from local demand (economy.va_linkage).
  double local_va(std::uint32_t c) const;
  double gdp(std::uint32_t c, std::size_t month) const;
  std::uint32_t month_of(des::Time t) const { return static_cast<std::uint32_t>(t); }
  /// Moves a laid-off group into the pools: labour market, early
  /// retirement, the rest redeployed (re-employed).
  void place_laid_off(std::uint32_t c, std::int64_t persons, double market_share,
                      double retirement_share);
  /// Moves up to `persons` out of city c's unemployed ex-miners (short-term
  /// first, then long-term) and returns how many; the caller adds them to
  /// another pool.
  std::int64_t take_unemployed(std::uint32_t c, std::int64_t persons);
  void log(des::Time at, std::uint32_t c, LogKind kind, double value);

  /// Monthly probability from an annual one: 1 - (1 - p)^(1/12).
  static double monthly(double annual_probability);

  // Monthly factors derived from annual parameters, computed once.
  struct MonthlyRates {
    double multiplier_fade;    ///< share of induced job losses left after a month
    double restoration;        ///< share of unrestored land per month
    double retirement;         ///< probability per month
    double social_assistance;  ///< probability per month
  };
  /// Monthly placement hazard and give-up hazard of trained job seekers
  /// for a placement rate P (share placed within a year).
  struct PlacementHazards {
    double placement;  ///< hazard per month for trained job seekers
    double give_up;    ///< hazard per month of an unplaced graduate giving up
  };
  static PlacementHazards placement_hazards(double placement_rate);

  const CityCatalogue& catalogue_;
  const ModelConfig* config_;  // never null: a pointer, so that a branch can copy the rest
  ReplicationInputs inputs_;
  MonthlyRates rates_;
  std::vector<PlacementHazards> placement_;  // per city, from CityState::placement_rate
  CityState state_;
  Trajectories trajectories_;
  std::vector<des::RandomStream> labour_rng_, resource_rng_;  // per city
  des::RandomStream market_rng_;
  std::array<std::vector<double>, enum_count<Resource>> prices_;       // [resource][month]
  std::array<std::vector<double>, enum_count<Resource>> base_prices_;  // before price_factors
  std::vector<double> others_labour_share_;  // labour force share of residents, fixed at start
  std::vector<double> others_assistance_share_;
  std::vector<std::vector<std::uint32_t>> migration_targets_;  // growing cities, same province
  std::vector<std::uint32_t> city_of_mine_;
  std::vector<std::uint32_t> unit_first_;  // CSR of production units incl. slots, size n + 1
  // What each city reports to the market at the end of its tick, double-
  // buffered by month parity: the market reads last month's while the
  // cities write this month's.
  struct CapacityReport {
    std::int64_t capacity = 0;   ///< open capacity x the city's cap, thousandths/yr
    std::int64_t building = 0;   ///< under construction, thousandths/yr
    std::int64_t max_order = 0;  ///< capacity the city would build now, thousandths/yr
  };
  std::array<std::vector<CapacityReport>, 2> reports_;
  std::array<std::vector<double>, enum_count<Resource>> utilisation_;  // [resource][month]
  std::array<double, enum_count<Resource>> base_demand_{};  // 2013 output, thousandths/yr
  std::array<std::vector<std::uint32_t>, enum_count<Resource>> cities_of_resource_;
  des::RandomStream planning_rng_;
  // Local economy and demography, fixed at the start.
  std::vector<double> local_jobs_;        // labour demand for residents this month, persons
  std::vector<double> induced_loss_;      // jobs lost to the multiplier, fading, persons
  std::vector<double> employment_rate0_;  // residents' employment rate at the start
  std::vector<double> monthly_growth_;    // this year's growth factor per month (growth_rate)
  std::vector<double> miners_last_;       // mining jobs last month
  std::vector<double> induced_va_;  // non-resource VA lost with the resource sector, 亿元/yr
  std::vector<double> resource_va_last_;  // resource VA last month, 亿元/yr
  std::vector<double> local_va0_;         // non-resource value added at the start, 亿元
  std::vector<double> income0_;           // GDP per resident at the start, 亿元
  std::vector<double> growth_factor_;     // cumulative national growth since the start (per month)
  std::vector<std::vector<std::pair<std::uint32_t, double>>> destinations_;  // gravity weights
  std::vector<des::RandomStream> demography_rng_;
  struct TriggerState {
    std::uint32_t run = 0;  ///< consecutive months the condition has held
    bool armed = true;
  };
  /// One month of a trigger's state machine, checked at `now` on the
  /// month's value; true when the trigger fires.
  static bool step(TriggerState& state, const Trigger& trigger, double value, des::Time now);
  std::vector<TriggerState> trigger_state_;
  std::vector<std::vector<std::uint32_t>> triggers_of_city_;
  std::vector<LedgerEntry> ledger_;  // [slot][city], ModelConfig::ledger_slots slots
  double resume_month_ = 0.0;        // a branch's fork month (resume())
  void set_up_triggers();
  void size_months();
  void become_branch(const ModelConfig& branch, std::uint32_t fork_month);
};

/// Real growth of China's economy, per year, in month m since 2013-01:
/// observed to 2023, an assumption after (local_economy.cpp).
double national_growth(std::size_t month);

/// Thrown when an accounting identity fails: a bug in regsim.
class InvariantError : public InternalError {
 public:
  using InternalError::InternalError;
};

}  // namespace regsim::model
