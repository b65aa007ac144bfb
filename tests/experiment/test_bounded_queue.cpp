// Tests for the queue between `regsim run`'s workers and its writer thread:
// first in first out, a full queue holds producers back, and close() frees
// whichever side is waiting, so a failure on one side cannot hang the other.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "experiment/bounded_queue.hpp"

using regsim::experiment::BoundedQueue;
using namespace std::chrono_literals;

TEST_CASE("experiment::BoundedQueue: items come out in the order they went in",
          "[experiment][queue]") {
  BoundedQueue<int> q(4);
  for (int i = 0; i < 4; ++i) REQUIRE(q.push(i));
  for (int i = 0; i < 4; ++i) CHECK(q.pop() == std::optional<int>(i));
}

TEST_CASE("experiment::BoundedQueue: a full queue holds the producer until an item is taken",
          "[experiment][queue]") {
  BoundedQueue<int> q(2);
  REQUIRE(q.push(0));
  REQUIRE(q.push(1));
  std::atomic<bool> pushed{false};
  std::thread producer([&] {
    q.push(2);
    pushed = true;
  });
  std::this_thread::sleep_for(50ms);
  CHECK_FALSE(pushed);
  CHECK(q.pop() == std::optional<int>(0));
  producer.join();
  CHECK(pushed);
  CHECK(q.pop() == std::optional<int>(1));
  CHECK(q.pop() == std::optional<int>(2));
}

TEST_CASE("experiment::BoundedQueue: close() lets the consumer drain, then ends it",
          "[experiment][queue]") {
  BoundedQueue<int> q(4);
  REQUIRE(q.push(7));
  q.close();
  CHECK_FALSE(q.push(8));
  CHECK(q.closed());
  CHECK(q.pop() == std::optional<int>(7));
  CHECK(q.pop() == std::nullopt);
}

TEST_CASE("experiment::BoundedQueue: close() wakes a waiting consumer and a waiting producer",
          "[experiment][queue]") {
  BoundedQueue<int> empty(1);
  std::optional<int> taken = 1;
  std::thread consumer([&] { taken = empty.pop(); });
  BoundedQueue<int> full(1);
  REQUIRE(full.push(0));
  bool accepted = true;
  std::thread producer([&] { accepted = full.push(1); });
  std::this_thread::sleep_for(50ms);
  empty.close();
  full.close();
  consumer.join();
  producer.join();
  CHECK(taken == std::nullopt);
  CHECK_FALSE(accepted);
}

TEST_CASE("experiment::BoundedQueue: many producers, one consumer, nothing lost",
          "[experiment][queue]") {
  BoundedQueue<int> q(3);
  constexpr int per_producer = 1000;
  std::vector<std::thread> producers;
  for (int p = 0; p < 4; ++p) {
    producers.emplace_back([&, p] {
      for (int i = 0; i < per_producer; ++i) q.push(p * per_producer + i);
    });
  }
  std::vector<int> seen(4 * per_producer, 0);
  std::thread consumer([&] {
    while (auto item = q.pop()) ++seen[static_cast<std::size_t>(*item)];
  });
  for (auto& t : producers) t.join();
  q.close();
  consumer.join();
  CHECK(std::count(seen.begin(), seen.end(), 1) == 4 * per_producer);
}
