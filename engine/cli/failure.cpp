#include "cli/failure.hpp"

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "experiment/version.hpp"
#include "scenario/diagnostics.hpp"
#include "support/errors.hpp"

namespace regsim::cli {

namespace {

// A bug, not the user's fault: say so, and say what a report needs.
int internal_error(const char* what, std::ostream& err) {
  err << "regsim: internal error: " << what << "\n"
      << "regsim: this is a bug in regsim, not a problem with your input. Please report it with\n"
      << "regsim: the command line, the scenario file (a run file holds it in /scenario_yaml) and\n"
      << "regsim: this version: " << experiment::version_string() << "\n";
  return exit_internal_error;
}

}  // namespace

int report_failure(const std::exception_ptr& failure, std::ostream& err) {
  try {
    std::rethrow_exception(failure);
  } catch (const scenario::InputError& e) {
    for (const auto& d : e.diagnostics()) err << scenario::format(d) << "\n";
    if (e.diagnostics().size() > 1) err << e.diagnostics().size() << " errors\n";
    return exit_invalid_input;
  } catch (const Silent& e) {
    return e.code();
  } catch (const Mismatch& e) {
    err << "regsim: error: " << e.what() << "\n";
    return exit_verification_mismatch;
  } catch (const Stopped& e) {
    err << "regsim: " << e.what() << "\n";
    return 128 + e.signal();
  } catch (const InternalError& e) {
    return internal_error(e.what(), err);
  } catch (const std::logic_error& e) {
    return internal_error(e.what(), err);
  } catch (const std::exception& e) {
    err << "regsim: error: " << e.what() << "\n";
    return exit_runtime_failure;
  } catch (...) {
    return internal_error("an exception of unknown type", err);
  }
}

}  // namespace regsim::cli
