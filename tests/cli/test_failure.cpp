// How a failed command ends: each branch of the error family gets its exit
// code, and a bug says it is one and what to report.
#include <exception>
#include <sstream>
#include <stdexcept>
#include <string>

#include <catch2/catch.hpp>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/failure.hpp"
#include "des/event_key.hpp"
#include "io/h5_file.hpp"
#include "model/city_model.hpp"
#include "scenario/diagnostics.hpp"

using namespace regsim;

namespace {

template <class E>
std::pair<int, std::string> ending(const E& error) {
  std::ostringstream err;
  const int code = cli::report_failure(std::make_exception_ptr(error), err);
  return {code, err.str()};
}

}  // namespace

TEST_CASE("report_failure: bad input is exit 2, with every diagnostic", "[cli]") {
  const auto [code, text] = ending(scenario::InputError(
      {scenario::file_problem("a.yaml", "first"), scenario::file_problem("b.yaml", "second")}));
  CHECK(code == cli::exit_invalid_input);
  CHECK(text.find("a.yaml: error: first") != std::string::npos);
  CHECK(text.find("b.yaml: error: second") != std::string::npos);
  CHECK(text.find("2 errors") != std::string::npos);
}

TEST_CASE("report_failure: a failure of the machine is exit 1 and not called a bug", "[cli]") {
  for (const auto& [code, text] :
       {ending(io::IoError("cannot write run.h5", "/trajectories", "")),
        ending(cli::RuntimeFailure("rank 1 failed")), ending(std::runtime_error("disk full"))}) {
    CHECK(code == cli::exit_runtime_failure);
    CHECK(text.rfind("regsim: error: ", 0) == 0);
    CHECK(text.find("bug") == std::string::npos);
  }
}

TEST_CASE("report_failure: a bug is exit 70 and says what to report", "[cli]") {
  for (const auto& [code, text] :
       {ending(model::InvariantError("labour pools of city 7 hold 9 persons, expected 10")),
        ending(des::SchedulingError("event in the past")),
        ending(std::out_of_range("vector::_M_range_check"))}) {
    CHECK(code == cli::exit_internal_error);
    CHECK(text.rfind("regsim: internal error: ", 0) == 0);
    CHECK(text.find("this is a bug in regsim") != std::string::npos);
    CHECK(text.find("scenario file") != std::string::npos);
    CHECK(text.find("regsim 0.") != std::string::npos);  // the version to report
  }
}

TEST_CASE("report_failure: a mismatch is 3 and a signal 128 + its number", "[cli]") {
  CHECK(ending(cli::Mismatch("replicate 2 differs")).first == cli::exit_verification_mismatch);
  CHECK(ending(cli::Stopped(15, "stopped")).first == 143);
  CHECK(ending(cli::Silent(2)).first == 2);
}

TEST_CASE("the error family: each error is in the branch its exit code says", "[cli]") {
  STATIC_REQUIRE(std::is_base_of_v<BadInput, scenario::InputError>);
  STATIC_REQUIRE(std::is_base_of_v<SystemFailure, io::IoError>);
  STATIC_REQUIRE(std::is_base_of_v<SystemFailure, cli::RuntimeFailure>);
  STATIC_REQUIRE(std::is_base_of_v<InternalError, model::InvariantError>);
  STATIC_REQUIRE(std::is_base_of_v<InternalError, des::SchedulingError>);
}
