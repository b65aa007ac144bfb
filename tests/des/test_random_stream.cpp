#include <array>
#include <numeric>

#include <catch2/catch.hpp>

#include "des/random_stream.hpp"

using regsim::des::RandomStream;

TEST_CASE("des::RandomStream: a stream is fixed by its key, not by creation order",
          "[des][random][determinism][requirement]") {
  RandomStream a(42, 3, 17, "layoffs");
  const auto a1 = a();
  const auto a2 = a();
  // Creating and using other streams in between changes nothing.
  RandomStream other(42, 3, 17, "discoveries");
  for (int i = 0; i < 100; ++i) (void)other();
  RandomStream a_again(42, 3, 17, "layoffs");
  CHECK(a_again() == a1);
  CHECK(a_again() == a2);
  // Each key component matters.
  CHECK(RandomStream(43, 3, 17, "layoffs")() != a1);
  CHECK(RandomStream(42, 4, 17, "layoffs")() != a1);
  CHECK(RandomStream(42, 3, 18, "layoffs")() != a1);
  CHECK(other() != a1);
}

TEST_CASE("des::RandomStream: outputs are pinned (portable across platforms and libraries)",
          "[des][random][regression]") {
  // Golden values: xoshiro256** seeded from the key hash. A change here
  // changes every result of every scenario and must be deliberate.
  RandomStream r(1, 0, 0, "phold");
  const std::array<std::uint64_t, 3> got{r(), r(), r()};
  RandomStream again(1, 0, 0, "phold");
  CHECK(got == std::array<std::uint64_t, 3>{again(), again(), again()});
  INFO("first outputs: " << got[0] << " " << got[1] << " " << got[2]);
  CHECK(got[0] == 0xb4d8bd30ec46b555u);
  CHECK(got[1] == 0x5172e0e6a922dd49u);
  CHECK(got[2] == 0xed5a2db2df4b61e0u);
}

TEST_CASE("des::RandomStream: distributions have the right means", "[des][random]") {
  RandomStream r(7, 0, 0, "moments");
  const int n = 200000;
  double u = 0, e = 0;
  std::int64_t b = 0, p = 0;
  for (int i = 0; i < n; ++i) {
    const double x = r.uniform01();
    REQUIRE(x >= 0.0);
    REQUIRE(x < 1.0);
    u += x;
    e += r.exponential(2.5);
    b += r.binomial(40, 0.3);
    p += r.poisson(3.0);
  }
  CHECK(u / n == Approx(0.5).margin(0.005));
  CHECK(e / n == Approx(2.5).epsilon(0.02));
  CHECK(static_cast<double>(b) / n == Approx(12.0).epsilon(0.01));
  CHECK(static_cast<double>(p) / n == Approx(3.0).epsilon(0.01));
}

TEST_CASE("des::RandomStream: below(n) is uniform on 0 .. n-1", "[des][random]") {
  RandomStream r(9, 0, 0, "below");
  std::array<int, 7> counts{};
  const int n = 70000;
  for (int i = 0; i < n; ++i) {
    const auto k = r.below(7);
    REQUIRE(k < 7);
    ++counts[k];
  }
  double chi2 = 0;
  for (int c : counts) chi2 += (c - n / 7.0) * (c - n / 7.0) / (n / 7.0);
  CHECK(chi2 < 22.46);  // chi-square, 6 degrees of freedom, p = 0.001
}

TEST_CASE("des::RandomStream: multinomial splits conserve the pool exactly",
          "[des][random][invariant]") {
  RandomStream r(11, 0, 0, "split");
  const std::array<double, 3> p{0.2, 0.5, 0.1};
  std::array<std::int64_t, 3> parts{};
  std::array<double, 3> sums{};
  double rest_sum = 0;
  for (std::int64_t n : {0, 1, 7, 1000, 123456789}) {
    const auto rest = r.multinomial(n, p, parts);
    CHECK(std::accumulate(parts.begin(), parts.end(), rest) == n);
  }
  for (int i = 0; i < 20000; ++i) {
    const auto rest = r.multinomial(100, p, parts);
    for (std::size_t k = 0; k < 3; ++k) sums[k] += static_cast<double>(parts[k]);
    rest_sum += static_cast<double>(rest);
  }
  CHECK(sums[0] / 20000 == Approx(20.0).epsilon(0.02));
  CHECK(sums[1] / 20000 == Approx(50.0).epsilon(0.02));
  CHECK(sums[2] / 20000 == Approx(10.0).epsilon(0.02));
  CHECK(rest_sum / 20000 == Approx(20.0).epsilon(0.02));
}
