// The journal's bookkeeping: block names, coverage (missing, duplicated),
// block sizes and shard slices. Kill, resume, shard and merge runs of the
// real binary are in tests/cli/test_journal.py.
#include <catch2/catch.hpp>

#include "experiment/journal.hpp"

using regsim::experiment::Range;
namespace ex = regsim::experiment;

namespace {

regsim::io::BlockHeader block(std::uint64_t first, std::uint64_t count) {
  regsim::io::BlockHeader b;
  b.path = ex::block_path("parts", Range{first, count});
  b.first = first;
  b.count = count;
  return b;
}

}  // namespace

TEST_CASE("experiment::block_path names a block by its first and last replicate", "[journal]") {
  CHECK(ex::block_path("out.h5.parts", Range{8, 8}).string() ==
        "out.h5.parts/replicates-000000008-000000015.h5");
  CHECK(ex::parts_folder("runs/a.h5").string() == "runs/a.h5.parts");
}

TEST_CASE("experiment::coverage finds the missing and the duplicated replicates", "[journal]") {
  SECTION("complete") {
    const auto c = ex::coverage({block(0, 4), block(4, 3), block(7, 1)}, Range{0, 8});
    CHECK(c.missing.empty());
    CHECK(c.duplicates.empty());
    CHECK(c.cover.size() == 3);
  }
  SECTION("gaps at the start, the middle and the end") {
    const auto c = ex::coverage({block(2, 2), block(6, 1)}, Range{0, 10});
    REQUIRE(c.missing.size() == 3);
    CHECK((c.missing[0].first == 0 && c.missing[0].count == 2));
    CHECK((c.missing[1].first == 4 && c.missing[1].count == 2));
    CHECK((c.missing[2].first == 7 && c.missing[2].count == 3));
  }
  SECTION("an overlapping block is a duplicate; the first one covers") {
    const auto c = ex::coverage({block(0, 4), block(2, 4), block(4, 2)}, Range{0, 6});
    CHECK(c.missing.empty());
    REQUIRE(c.duplicates.size() == 1);
    CHECK(c.duplicates[0].first.first == 2);
    CHECK((c.duplicates[0].second.first == 2 && c.duplicates[0].second.count == 2));
    REQUIRE(c.cover.size() == 2);
    CHECK(c.cover[1].first == 4);
  }
  SECTION("blocks outside the wanted slice are ignored") {
    const auto c = ex::coverage({block(0, 4), block(4, 4), block(8, 4)}, Range{4, 4});
    CHECK(c.missing.empty());
    REQUIRE(c.cover.size() == 1);
    CHECK(c.cover[0].first == 4);
  }
  SECTION("nothing at all") {
    const auto c = ex::coverage({}, Range{0, 5});
    REQUIRE(c.missing.size() == 1);
    CHECK(c.missing[0].count == 5);
  }
}

TEST_CASE("experiment::split cuts ranges into blocks of at most the size", "[journal]") {
  const auto b = ex::split({Range{0, 10}, Range{20, 3}}, 4);
  REQUIRE(b.size() == 4);
  CHECK((b[0].first == 0 && b[0].count == 4));
  CHECK((b[2].first == 8 && b[2].count == 2));
  CHECK((b[3].first == 20 && b[3].count == 3));
}

TEST_CASE("experiment::block_size keeps threads busy and blocks under ~1000", "[journal]") {
  CHECK(ex::block_size(10, 1) == 16);
  CHECK(ex::block_size(1000, 2) == 32);
  CHECK(ex::block_size(100000, 2) == 100);
  CHECK(ex::block_size(1000000, 32) == 1000);
}

TEST_CASE("experiment::shard_slice: N contiguous slices cover every replicate once", "[journal]") {
  for (std::uint64_t runs : {0ull, 1ull, 5ull, 7ull, 100ull, 1001ull}) {
    for (std::uint64_t n : {1ull, 2ull, 3ull, 7ull, 16ull}) {
      std::uint64_t next = 0;
      for (std::uint64_t k = 1; k <= n; ++k) {
        const Range r = ex::shard_slice(k, n, runs);
        CHECK(r.first == next);
        CHECK(r.count + 1 >= runs / n);  // sizes differ by at most one
        CHECK(r.count <= runs / n + 1);
        next = r.end();
      }
      CHECK(next == runs);
    }
  }
  // N > replications: the last shards are empty.
  CHECK(ex::shard_slice(6, 7, 5).count == 0);
  CHECK(ex::shard_slice(5, 7, 5).count == 1);
}
