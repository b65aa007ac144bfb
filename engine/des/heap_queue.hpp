// A flat d-ary min-heap of pending events, ordered by EventKey. With d = 4
// a sift-down touches one cache line of children per level and the tree is
// half as deep as a binary heap (see benchmarks/README.md for the measured
// comparison with d = 2 and with the month-bucket queue).
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "des/pending.hpp"

namespace regsim::des {

template <class Entry, std::size_t Arity = 4>
class HeapQueue {
  static_assert(Arity >= 2);

 public:
  static constexpr const char* name() { return Arity == 2 ? "binary-heap" : "4-ary-heap"; }

  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  const Entry& top() const { return items_.front(); }
  void reserve(std::size_t n) { items_.reserve(n); }
  void clear() { items_.clear(); }

  void push(const Entry& e) {
    std::size_t hole = items_.size();
    items_.push_back(e);
    while (hole > 0) {
      const std::size_t parent = (hole - 1) / Arity;
      if (!(e.key < items_[parent].key)) break;
      items_[hole] = items_[parent];
      hole = parent;
    }
    items_[hole] = e;
  }

  /// Removes every entry `drop` holds for and returns how many. Keys are
  /// unique, so the rest leave in the same order as before.
  template <class Drop>
  std::size_t erase_if(Drop drop) {
    std::vector<Entry> kept;
    kept.reserve(items_.size());
    for (Entry& e : items_) {
      if (!drop(e)) kept.push_back(std::move(e));
    }
    const std::size_t dropped = items_.size() - kept.size();
    items_.clear();
    for (const Entry& e : kept) push(e);
    return dropped;
  }
  /// Removes and returns the smallest entry. Precondition: !empty().
  Entry pop() {
    Entry result = std::move(items_.front());
    Entry last = std::move(items_.back());
    items_.pop_back();
    const std::size_t n = items_.size();
    if (n == 0) return result;
    std::size_t hole = 0;
    for (;;) {
      const std::size_t first = hole * Arity + 1;
      if (first >= n) break;
      const std::size_t end = first + Arity < n ? first + Arity : n;
      std::size_t best = first;
      for (std::size_t c = first + 1; c < end; ++c) {
        if (items_[c].key < items_[best].key) best = c;
      }
      if (!(items_[best].key < last.key)) break;
      items_[hole] = std::move(items_[best]);
      hole = best;
    }
    items_[hole] = std::move(last);
    return result;
  }

 private:
  std::vector<Entry> items_;
};

}  // namespace regsim::des
