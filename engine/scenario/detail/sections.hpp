// The readers of a scenario's sections, one file per top-level key (or
// group of keys): each validates its part of the tree into `s`, reporting
// problems through the field readers. The top-level walk and the checks
// across sections are in load.cpp. Internal to the scenario layer.
#pragma once

#include "scenario/detail/fields.hpp"
#include "scenario/detail/tree.hpp"
#include "scenario/scenario.hpp"

namespace regsim::scenario::detail {

// experiment.cpp
void read_horizon(Fields& f, const Tree& t, Scenario& s);
void read_region(Fields& f, const Tree& t, Scenario& s);
void read_experiment(Fields& f, const Tree& t, Scenario& s);  ///< with its design file
void read_parameters(Fields& f, const Tree& t, Scenario& s);
/// After the goals: experiment.precision's goal names, sampling and cap.
void check_precision(Fields& f, Scenario& s);

// uncertainties.cpp
void read_uncertainties(Fields& f, const Tree& t, Scenario& s);

// prices.cpp: the price and demand index files
void read_prices(Fields& f, const Tree& t, Scenario& s);
void read_demand(Fields& f, const Tree& t, Scenario& s);

// policies.cpp: policies with their lever values and triggers
void read_policies(Fields& f, const Tree& t, Scenario& s);

// goals.cpp
void read_goals(Fields& f, const Tree& t, Scenario& s);

// outputs.cpp
void read_outputs(Fields& f, const Tree& t, Scenario& s);

}  // namespace regsim::scenario::detail
