#include <catch2/catch.hpp>

#include "des/event_key.hpp"

using regsim::des::EventKey;

TEST_CASE("des::EventKey: ties break by (time, priority, origin LP, origin sequence)",
          "[des][key][requirement]") {
  const auto key = [](double t, unsigned p, unsigned lp, unsigned seq) {
    return EventKey{t, EventKey::make_tie(static_cast<std::uint8_t>(p), lp, seq)};
  };
  CHECK(key(1.0, 15, 99, 99) < key(2.0, 0, 0, 0));  // time first
  CHECK(key(1.0, 0, 99, 99) < key(1.0, 1, 0, 0));   // then priority
  CHECK(key(1.0, 2, 3, 99) < key(1.0, 2, 4, 0));    // then origin LP
  CHECK(key(1.0, 2, 3, 7) < key(1.0, 2, 3, 8));     // then origin sequence
  CHECK_FALSE(key(1.0, 2, 3, 7) < key(1.0, 2, 3, 7));
}

TEST_CASE("des::EventKey: fields round-trip through the packed tie", "[des][key]") {
  const EventKey k{3.5,
                   EventKey::make_tie(EventKey::max_priority, EventKey::max_lp, EventKey::max_seq)};
  CHECK(k.priority() == EventKey::max_priority);
  CHECK(k.origin() == EventKey::max_lp);
  CHECK(k.sequence() == EventKey::max_seq);
  const EventKey j{0.0, EventKey::make_tie(5, 262143, 123456789)};
  CHECK(j.priority() == 5);
  CHECK(j.origin() == 262143u);
  CHECK(j.sequence() == 123456789u);
}
