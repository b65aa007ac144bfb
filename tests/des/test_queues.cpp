// Every pending-event set must pop in exactly the EventKey order, whatever
// the push pattern (including late arrivals for an earlier month).
#include <algorithm>
#include <vector>

#include <catch2/catch.hpp>

#include "des/bucket_queue.hpp"
#include "des/executor.hpp"

using namespace regsim::des;

namespace {
struct Item {
  EventKey key;
  int payload = 0;
};

template <class Q>
void check_against_sorted_reference(Q queue, std::uint64_t seed, double span, bool interleave) {
  RandomStream rng(seed, 0, 0, "queue-test");
  std::vector<EventKey> reference;  // kept sorted descending; back() = min
  std::uint64_t seq = 0;
  double floor_time = 0.0;
  auto push_one = [&] {
    const double t =
        floor_time + std::floor(rng.uniform01() * span * 4.0) / 4.0;  // many exact ties
    const EventKey k{t, EventKey::make_tie(static_cast<Priority>(rng.below(3)),
                                           static_cast<LpId>(rng.below(5)), seq++)};
    queue.push(Item{k, 0});
    reference.insert(std::upper_bound(reference.begin(), reference.end(), k,
                                      [](const EventKey& a, const EventKey& b) { return b < a; }),
                     k);
  };
  for (int i = 0; i < 500; ++i) push_one();
  while (!reference.empty()) {
    REQUIRE(queue.size() == reference.size());
    REQUIRE(queue.top().key == reference.back());
    const Item got = queue.pop();
    REQUIRE(got.key == reference.back());
    reference.pop_back();
    if (interleave) {
      floor_time = got.key.time;  // never schedule into the past of the popped event
      if (rng.uniform01() < 0.55 && seq < 5000) push_one();
      if (rng.uniform01() < 0.45 && seq < 5000) push_one();
    }
  }
  CHECK(queue.empty());
}
}  // namespace

TEMPLATE_TEST_CASE("des::queues: pop in EventKey order", "[des][queue][requirement]",
                   (HeapQueue<Item, 2>), (HeapQueue<Item, 4>), (BucketQueue<Item>)) {
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    check_against_sorted_reference(TestType{}, seed, 3.0, false);
    check_against_sorted_reference(TestType{}, seed, 3.0, true);
    check_against_sorted_reference(TestType{}, seed, 400.0, true);  // beyond the bucket ring
  }
}

TEST_CASE("des::BucketQueue: a late arrival for an earlier month comes out first",
          "[des][queue][error_guessing]") {
  BucketQueue<Item> q;
  q.push(Item{EventKey{200.0, 1}, 1});  // only far-future events: current month = 200
  q.push(Item{EventKey{300.0, 2}, 2});
  q.push(Item{EventKey{3.5, 3}, 3});  // arrives later, for month 3
  q.push(Item{EventKey{250.0, 4}, 4});
  std::vector<int> order;
  while (!q.empty()) order.push_back(q.pop().payload);
  CHECK(order == std::vector<int>{3, 1, 4, 2});
}

TEMPLATE_TEST_CASE("des::HeapQueue: erase_if drops exactly the matching entries, the rest in order",
                   "[des][queue]", QuaternaryHeap<Item>, BinaryHeap<Item>) {
  TestType queue;
  RandomStream rng(7, 0, 0, "erase-test");
  for (int i = 0; i < 500; ++i) {
    const double t = std::floor(rng.uniform01() * 40.0);  // many ties on time
    queue.push(Item{EventKey{t, EventKey::make_tie(0, 0, static_cast<std::uint64_t>(i))}, i});
  }
  const std::size_t dropped = queue.erase_if([](const Item& it) { return it.payload % 3 == 0; });
  CHECK(dropped == 167);
  REQUIRE(queue.size() == 333);
  EventKey last{-1.0, 0};
  while (!queue.empty()) {
    const Item it = queue.pop();
    CHECK(it.payload % 3 != 0);
    CHECK(last < it.key);
    last = it.key;
  }
}
