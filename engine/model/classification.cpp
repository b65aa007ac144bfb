// Classification: the yearly re-evaluation of each city's class.
#include "model/city_model.hpp"

namespace regsim::model {

// Yearly re-evaluation (DESIGN §3): regenerating when resource dependence
// is low and the replacement share high; declining when cumulative
// extraction reaches the exhaustion threshold (70 %, cal §4.1); mature past
// the mature threshold. Classes only move forward.
void CityModel::classify(des::Time now, std::uint32_t c) {
  const Parameters& p = params();
  const auto month = static_cast<std::size_t>(now);
  const double exhaustion = trajectories_.at(Indicator::exhaustion_fraction, c, month);
  const double dependence = trajectories_.at(Indicator::resource_dependence, c, month);
  const double replacement = trajectories_.at(Indicator::replacement_share, c, month);
  Category next = Category::growing;
  if (dependence < p[Param::classification_regenerating_dependence] &&
      replacement >= p[Param::classification_regenerating_replacement_share]) {
    next = Category::regenerating;
  } else if (exhaustion >= p[Param::classification_exhaustion_threshold]) {
    next = Category::declining;
  } else if (exhaustion >= p[Param::classification_mature_threshold]) {
    next = Category::mature;
  }
  Category& current = state_.city_class[c];
  if (static_cast<int>(next) > static_cast<int>(current)) {
    current = next;
    log(now, c, LogKind::reclassification, static_cast<double>(next));
  }
}

}  // namespace regsim::model
