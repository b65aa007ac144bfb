// regsim's errors, by who can fix them. Every layer throws one of the three
// branches, and the command line turns the branch into an exit code
// (README "Exit codes"):
//
//   Error
//   ├── BadInput       the user's input is wrong: a file, a flag, a path (2)
//   ├── SystemFailure  the machine or a write failed: a full disk, a lost rank (1)
//   └── InternalError  a bug in regsim: an identity or a rule of the core
//                      broken (70, with what to report)
//
// Header-only and below every layer: des, model, scenario, io, experiment
// and cli all include it.
#pragma once

#include <stdexcept>

namespace regsim {

/// The root of regsim's own errors.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Invalid user input (exit code 2), e.g. scenario::InputError.
class BadInput : public Error {
 public:
  using Error::Error;
};

/// A failure of the machine, the file system or a write (exit code 1),
/// e.g. io::IoError.
class SystemFailure : public Error {
 public:
  using Error::Error;
};

/// A broken invariant of regsim itself (exit code 70): whatever the input,
/// this should not happen. The user is told it is a bug and what to report.
class InternalError : public Error {
 public:
  using Error::Error;
};

}  // namespace regsim
