// How a failed command ends: the message the user sees and the exit code,
// by the branch of the error family (support/errors.hpp) it belongs to.
#pragma once

#include <exception>
#include <ostream>

namespace regsim::cli {

/// Prints what `failure` says to `err` and returns the exit code (README
/// "Exit codes"). A std::logic_error is a bug like an InternalError.
int report_failure(const std::exception_ptr& failure, std::ostream& err);

}  // namespace regsim::cli
