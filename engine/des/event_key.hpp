// The total order of events: (time, priority, origin LP, origin sequence).
// Every field is an integer or an exactly compared double, so the order of
// execution never depends on threads, memory addresses or insertion order.
#pragma once

#include <cstdint>
#include <limits>
#include <stdexcept>

#include "support/errors.hpp"

namespace regsim::des {

/// Simulated time in the model's own unit: months since 2013-01 for the city
/// model (model/calendar.hpp), abstract time for PHOLD.
using Time = double;
/// Index of a logical process (LP): the owner of some state and its events.
using LpId = std::uint32_t;
/// Smaller runs first among events at the same time.
using Priority = std::uint8_t;

/// Sort key of one pending event, 16 bytes. `tie` packs, from the most
/// significant bit: priority (4 bits), origin LP (24 bits), origin
/// sequence number (36 bits).
struct EventKey {
  Time time = 0.0;
  std::uint64_t tie = 0;

  static constexpr unsigned priority_bits = 4;
  static constexpr unsigned lp_bits = 24;
  static constexpr unsigned seq_bits = 36;
  static constexpr Priority max_priority = (1u << priority_bits) - 1;
  static constexpr LpId max_lp = (1u << lp_bits) - 1;
  static constexpr std::uint64_t max_seq = (std::uint64_t{1} << seq_bits) - 1;

  static constexpr std::uint64_t make_tie(Priority priority, LpId origin, std::uint64_t seq) {
    return (std::uint64_t{priority} << (lp_bits + seq_bits)) | (std::uint64_t{origin} << seq_bits) |
           seq;
  }
  constexpr Priority priority() const { return static_cast<Priority>(tie >> (lp_bits + seq_bits)); }
  constexpr LpId origin() const { return static_cast<LpId>((tie >> seq_bits) & max_lp); }
  constexpr std::uint64_t sequence() const { return tie & max_seq; }

  friend constexpr bool operator<(const EventKey& a, const EventKey& b) {
    return a.time < b.time || (a.time == b.time && a.tie < b.tie);
  }
  friend constexpr bool operator==(const EventKey& a, const EventKey& b) = default;
};

/// Thrown when a model breaks a rule of the core (event in the past, a
/// cross-LP message inside the lookahead, too many LPs...). A bug in the
/// model, not bad user input.
class SchedulingError : public InternalError {
 public:
  using InternalError::InternalError;
};

/// A time no event reaches: an open window's end, a trigger that never expires.
constexpr Time never = std::numeric_limits<Time>::infinity();

}  // namespace regsim::des
