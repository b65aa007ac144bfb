// A calendar (bucket) queue keyed by integer month: nearly every city-model
// event falls on a month boundary, so a ring of per-month buckets, with a
// small heap only for the current month, avoids most heap work. Events
// beyond the ring go to an overflow heap and migrate in as time advances.
//
// Invariant: `current_` holds every entry whose bucket is <= cur_ (a late
// arrival for an earlier bucket joins it there), ring slot b % R holds
// bucket b for cur_ < b < cur_ + R, and the overflow heap holds the rest.
// So current_'s minimum is the global minimum.
#pragma once

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "des/heap_queue.hpp"

namespace regsim::des {

template <class Entry>
class BucketQueue {
 public:
  static constexpr const char* name() { return "month-bucket"; }

  /// `width`: bucket width in time units (1 = one month);
  /// `ring`: number of buckets kept as plain vectors (rounded up to 2^k).
  explicit BucketQueue(double width = 1.0, std::size_t ring = 64)
      : inv_width_(1.0 / width), ring_(std::bit_ceil(ring)), mask_(ring_.size() - 1) {}

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  const Entry& top() const { return current_.top(); }
  void reserve(std::size_t) {}
  void clear() {
    current_.clear();
    overflow_.clear();
    for (auto& b : ring_) b.clear();
    size_ = in_ring_ = 0;
  }

  void push(Entry e) {
    const std::int64_t b = bucket_of(e.key.time);
    if (size_ == 0) cur_ = b;
    ++size_;
    if (b <= cur_) {
      current_.push(std::move(e));
    } else if (b < cur_ + ring_span()) {
      ring_[slot_of(b)].push_back(std::move(e));
      ++in_ring_;
    } else {
      overflow_.push(std::move(e));
    }
  }

  /// Removes and returns the smallest entry. Precondition: !empty().
  Entry pop() {
    Entry e = current_.pop();
    --size_;
    if (current_.empty() && size_ > 0) advance();
    return e;
  }

 private:
  std::int64_t bucket_of(double t) const {
    return static_cast<std::int64_t>(std::floor(t * inv_width_));
  }
  std::size_t slot_of(std::int64_t b) const { return static_cast<std::size_t>(b) & mask_; }
  std::int64_t ring_span() const { return static_cast<std::int64_t>(ring_.size()); }

  // Moves cur_ to the next non-empty bucket and loads it into current_.
  void advance() {
    if (in_ring_ > 0) {
      do {
        ++cur_;
      } while (ring_[slot_of(cur_)].empty());
    } else {
      cur_ = bucket_of(overflow_.top().key.time);
    }
    auto& bucket = ring_[slot_of(cur_)];
    in_ring_ -= bucket.size();
    for (auto& e : bucket) current_.push(std::move(e));
    bucket.clear();
    while (!overflow_.empty()) {
      const std::int64_t b = bucket_of(overflow_.top().key.time);
      if (b >= cur_ + ring_span()) break;
      if (b <= cur_) {
        current_.push(overflow_.pop());
      } else {
        ring_[slot_of(b)].push_back(overflow_.pop());
        ++in_ring_;
      }
    }
  }

  double inv_width_;
  std::vector<std::vector<Entry>> ring_;
  std::size_t mask_;
  HeapQueue<Entry, 4> current_;
  HeapQueue<Entry, 4> overflow_;
  std::int64_t cur_ = 0;
  std::size_t size_ = 0;
  std::size_t in_ring_ = 0;
};

}  // namespace regsim::des
