// Random streams keyed by name: one independent generator per
// (seed, replication, LP, purpose). The key is hashed into the generator's
// state, so adding a stream, a lever or a city never shifts anyone else's
// draws (common random numbers across scenarios). The exponential and
// normal come from Boost.Random, whose algorithms, unlike std::'s, are the
// same everywhere; the binomial is our own (see binomial()).
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string_view>

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>

namespace regsim::des {

/// FNV-1a, 64 bit: a stable hash of a purpose name ("phold", "layoffs").
constexpr std::uint64_t hash_name(std::string_view name) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

/// SplitMix64's finaliser: a bijective 64-bit mixer.
constexpr std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/// Identity of a stream. Purpose is a name hash (hash_name) so that the
/// key, not the order of creation, decides the numbers.
struct StreamKey {
  std::uint64_t seed = 0;
  std::uint64_t replication = 0;
  std::uint64_t lp = 0;
  std::uint64_t purpose = 0;
};

__extension__ using Uint128 = unsigned __int128;

/// xoshiro256** (Blackman & Vigna 2018): 256-bit state, period 2^256 - 1,
/// passes BigCrush; a UniformRandomBitGenerator for Boost.Random.
class RandomStream {
 public:
  using result_type = std::uint64_t;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  RandomStream() : RandomStream(StreamKey{}) {}
  explicit RandomStream(const StreamKey& key);
  RandomStream(std::uint64_t seed, std::uint64_t replication, std::uint64_t lp,
               std::string_view purpose)
      : RandomStream(StreamKey{seed, replication, lp, hash_name(purpose)}) {}

  result_type operator()() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform on [0, 1) with 53 random bits.
  double uniform01() { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }
  /// Uniform integer on [0, n), n > 0, without modulo bias (Lemire 2019,
  /// "Fast random integer generation in an interval").
  std::uint64_t below(std::uint64_t n) {
    Uint128 m = static_cast<Uint128>((*this)()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) [[unlikely]] {
      const std::uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<Uint128>((*this)()) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }
  /// Exponential with the given mean (> 0); Boost's ziggurat.
  double exponential(double mean) {
    return boost::random::exponential_distribution<double>(1.0 / mean)(*this);
  }
  /// Standard normal (Boost's ziggurat).
  double normal() { return boost::random::normal_distribution<double>(0.0, 1.0)(*this); }
  /// Binomial(n, p) as an integer count, exact (not an approximation) for
  /// any n >= 0; n <= 0 or p <= 0 give 0, p >= 1 gives n. Inversion while
  /// the mode is small, BTRD (Hörmann 1993) beyond. Uses only this
  /// generator, arithmetic and <cmath> (no std:: distribution), so the
  /// same on any standard library.
  std::int64_t binomial(std::int64_t n, double p);
  /// Poisson with the given mean (>= 0).
  std::int64_t poisson(double mean);
  /// Splits n into out.size() parts with probabilities p (summing to <= 1;
  /// the remainder is returned), so the parts plus the remainder add up to
  /// n exactly: one binomial draw of how many leave the remainder, then
  /// each leaver's part (few) or conditional binomials (many).
  std::int64_t multinomial(std::int64_t n, std::span<const double> p, std::span<std::int64_t> out);

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

}  // namespace regsim::des
