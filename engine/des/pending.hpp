// One entry of a pending-event set: the key, the cancellation slot (if the
// event was scheduled with a handle) and the model's event payload.
#pragma once

#include <cstdint>

#include "des/event_key.hpp"

namespace regsim::des {

/// Slot value of an event that cannot be cancelled (no handle was made).
constexpr std::uint32_t no_slot = 0xffffffffu;

template <class Event>
struct Pending {
  EventKey key;
  std::uint32_t slot = no_slot;
  std::uint32_t generation = 0;
  [[no_unique_address]] Event event{};
};

}  // namespace regsim::des
