// The simulation's calendar. Month 0 is 2013-01, the date of the seeds'
// initial conditions (the 2013 plan's baseline); every run starts there,
// whatever period it reports. Time in the model is months since then.
#pragma once

#include <cstdint>

namespace regsim::model {

inline constexpr int start_year = 2013;  ///< month 0 is January of this year
/// 2013-01 .. 2035-12: the default horizon, the 2035 goals' year.
inline constexpr std::uint32_t default_months = 276;

}  // namespace regsim::model
