// `outputs:`: resolution, variables, replicates and aggregates of the run
// file.
#include <algorithm>

#include <fmt/format.h>

#include "scenario/detail/sections.hpp"
#include "scenario/keys.hpp"
#include "scenario/text.hpp"

namespace regsim::scenario::detail {

namespace {

// variables: all | an indicator | a list of indicators.
void variables(Fields& f, const Tree& x, Outputs& out) {
  std::vector<const Tree*> items;
  if (x.is_sequence()) {
    for (const auto& i : x.items) items.push_back(&i);
  } else {
    items.push_back(&x);
  }
  for (const Tree* v : items) {
    if (v->is_scalar() && v->scalar == "all") {
      out.variables.clear();
      break;
    }
    if (auto i = f.indicator(*v, "outputs.variables")) out.variables.push_back(*i);
  }
}

}  // namespace

void read_outputs(Fields& f, const Tree& t, Scenario& s) {
  if (!f.require_map(t, "outputs", "{resolution, variables, replicates, aggregates}")) return;
  f.check_keys(t, keys::names(keys::outputs), "outputs");
  static const std::vector<std::string> res = keys::names(keys::resolutions);
  if (const Tree* x = t.find("resolution")) {
    const std::string r = f.text(*x, "outputs.resolution");
    const auto it = std::find(res.begin(), res.end(), r);
    if (it == res.end()) {
      if (x->is_scalar()) {
        f.error(*x, fmt::format("unknown resolution '{}'", r), "outputs.resolution",
                "one of: " + join(res), nearest_name(r, res));
      }
    } else {
      s.outputs.resolution = static_cast<Resolution>(it - res.begin());
    }
  }
  if (const Tree* x = t.find("variables")) variables(f, *x, s.outputs);
  if (const Tree* x = t.find("replicates")) {
    if (x->is_scalar() && x->scalar == "all") {
      s.outputs.replicates.reset();
    } else if (x->is_scalar() && x->scalar == "none") {
      s.outputs.replicates = 0;
    } else if (auto v = f.integer(*x, "outputs.replicates", 0, 10'000'000)) {
      s.outputs.replicates = *v;
    }
  }
  if (const Tree* x = t.find("aggregates")) {
    if (auto v = f.boolean(*x, "outputs.aggregates")) s.outputs.aggregates = *v;
  }
}

}  // namespace regsim::scenario::detail
