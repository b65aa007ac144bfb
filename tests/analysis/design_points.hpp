// Test functions evaluated on the points of a scenario's real design
// (scenario::draw, which maps scenario::unit_point through each
// uncertainty's quantile function), arranged by analysis::design_blocks.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "analysis/design_blocks.hpp"
#include "scenario/samplers.hpp"
#include "scenario/scenario.hpp"

namespace regsim::test {

// Factors of a test function, not model parameters: draw() gives their
// values unclamped.
inline scenario::Uncertainty uniform(const std::string& name, double a, double b) {
  scenario::Uncertainty u;
  u.name = name;
  u.distribution = scenario::Uncertainty::Distribution::uniform;
  u.args = {a, b};
  return u;
}

// "x1", "x2", ... for factor 0, 1, ...
inline std::string factor_name(std::size_t i) {
  std::string name = "x";
  name += std::to_string(i + 1);
  return name;
}

inline scenario::Scenario design(scenario::Sampling sampling, std::uint64_t n,
                                 std::vector<scenario::Uncertainty> us) {
  scenario::Scenario s;
  s.sampling = sampling;
  s.replications = n;
  s.seed = 20240611;
  s.uncertainties = std::move(us);
  return s;
}

using Function = std::function<double(const std::vector<double>&)>;

// f at every run of the design, by block and position, and the blocks.
struct Evaluated {
  analysis::DesignBlocks blocks;
  std::vector<std::vector<double>> values;
};

inline Evaluated evaluate(const scenario::Scenario& s, const Function& f) {
  std::vector<std::int64_t> replicates;
  std::vector<double> by_row;
  for (std::uint64_t r = 0; r < scenario::run_count(s); ++r) {
    const std::vector<double> x = scenario::draw(s, r);
    replicates.push_back(static_cast<std::int64_t>(r));
    by_row.push_back(f(x));
  }
  Evaluated e{analysis::design_blocks(s, replicates), {}};
  e.values = analysis::gather(e.blocks, by_row);
  return e;
}

}  // namespace regsim::test
