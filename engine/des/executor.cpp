#include "des/executor.hpp"

#include <string>

namespace regsim::des {

void throw_sequence_overflow() { throw SchedulingError("LP event sequence number overflow"); }

void throw_bad_schedule(Time now, Time at, Priority priority) {
  if (priority > EventKey::max_priority) {
    throw SchedulingError("event priority " + std::to_string(priority) + " above " +
                          std::to_string(EventKey::max_priority));
  }
  throw SchedulingError("event scheduled in the past: at " + std::to_string(at) + " < now " +
                        std::to_string(now));
}

}  // namespace regsim::des
