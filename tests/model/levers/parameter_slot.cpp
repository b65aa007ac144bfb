// Compiled by ctest, not linked: a lever reading a parameter by slot. With
// PARAMETER set to a name of the schema it compiles; with a misspelt name
// it must not (model::levers::slot() is consteval).
#include "model/levers/lever.hpp"

namespace {
constexpr regsim::model::levers::LeverParam params[] = {
    {"seats_per_1000_unemployed", "seats per 1000 persons", 0.0, 1000.0, 0.0, "seats"},
};
}  // namespace

double read(const regsim::model::levers::LeverArgs& args) {
  return args[regsim::model::levers::slot(params, PARAMETER)];
}
