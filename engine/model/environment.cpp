// The environment: land degraded by extraction (at the city's historical
// hectares per unit extracted) and restored, slowly without policy and by
// remediation spending (2013 plan §7).
#include <algorithm>

#include "model/city_model.hpp"

namespace regsim::model {

void CityModel::update_land(std::uint32_t c, std::int64_t extracted_milli) {
  CityState& s = state_;
  s.degraded_land[c] += static_cast<double>(extracted_milli) * s.degraded_ha_per_milli[c] *
                        params()[Param::environment_degradation_factor];
  s.restored_land[c] += (s.degraded_land[c] - s.restored_land[c]) * rates_.restoration;
}

void CityModel::remediate(std::uint32_t c, double yi) {
  CityState& s = state_;
  const double ha =
      yi * 1e4 / params()[Param::environment_remediation_cost];  // 1 亿元 = 1e4 x 1e4 CNY
  s.restored_land[c] = std::min(s.degraded_land[c], s.restored_land[c] + ha);
  s.spending[c] += yi;
}

}  // namespace regsim::model
