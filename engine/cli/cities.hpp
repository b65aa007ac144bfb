// `regsim cities`: list a region's cities, filtered, as a table, CSV or JSON,
// with totals by category x admin level and by province.
#pragma once

#include <iosfwd>

namespace CLI {
class App;
}

namespace regsim::cli {

/// Adds the `cities` subcommand to `app`; its output goes to `out`.
/// A bad --where filter or an invalid region throws scenario::InputError (exit 2).
void register_cities(CLI::App& app, std::ostream& out);
/// The same, writing to std::cout.

}  // namespace regsim::cli
