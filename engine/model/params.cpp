#include "model/params.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace regsim::model {

namespace {

// One spelling per parameter: the C++ id is the dotted name with _ for .
constexpr bool id_spells_name(std::string_view id, std::string_view name) {
  if (id.size() != name.size()) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (id[i] != (name[i] == '.' ? '_' : name[i])) return false;
  }
  return true;
}

#define REGSIM_X(id, name, unit, def, lo, hi, source) \
  static_assert(id_spells_name(#id, name), "Param::" #id " must spell " name " with _ for .");
REGSIM_MODEL_PARAMETERS(REGSIM_X)
#undef REGSIM_X

}  // namespace

std::optional<Param> find_param(std::string_view name) {
  for (std::size_t i = 0; i < param_count; ++i) {
    if (param_specs[i].name == name) return static_cast<Param>(i);
  }
  return std::nullopt;
}

Parameters::Parameters() {
  for (std::size_t i = 0; i < param_count; ++i) values_[i] = param_specs[i].default_value;
}

void Parameters::set(Param p, double value) {
  const ParamSpec& spec = param_specs[static_cast<std::size_t>(p)];
  if (!(value >= spec.min && value <= spec.max)) {
    throw std::out_of_range(fmt::format("{} must be in [{}, {}] {}, got {}", spec.name, spec.min,
                                        spec.max, spec.unit, value));
  }
  values_[static_cast<std::size_t>(p)] = value;
}

}  // namespace regsim::model
