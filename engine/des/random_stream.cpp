#include "des/random_stream.hpp"

#include <algorithm>

namespace regsim::des {

RandomStream::RandomStream(const StreamKey& key) {
  // Fold the four key words through the mixer so that nearby keys give
  // unrelated states, then expand with SplitMix64 as the xoshiro authors
  // recommend for seeding.
  std::uint64_t h = mix64(key.seed ^ 0x9e3779b97f4a7c15ull);
  h = mix64(h ^ key.replication);
  h = mix64(h ^ (key.lp + 0x632be59bd9b4e019ull));
  h = mix64(h ^ key.purpose);
  for (auto& word : s_) {
    h += 0x9e3779b97f4a7c15ull;
    word = mix64(h);
  }
}

std::int64_t RandomStream::binomial(std::int64_t n, double p) {
  if (n <= 0 || p <= 0.0) return 0;
  if (p >= 1.0) return n;
  return boost::random::binomial_distribution<std::int64_t, double>(n, p)(*this);
}

std::int64_t RandomStream::poisson(double mean) {
  if (mean <= 0.0) return 0;
  return boost::random::poisson_distribution<std::int64_t, double>(mean)(*this);
}

std::int64_t RandomStream::multinomial(std::int64_t n, std::span<const double> p,
                                       std::span<std::int64_t> out) {
  double mass_left = 1.0;
  std::int64_t left = n;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const double q = mass_left > 0.0 ? std::clamp(p[i] / mass_left, 0.0, 1.0) : 0.0;
    out[i] = binomial(left, q);
    left -= out[i];
    mass_left -= p[i];
  }
  return left;
}

}  // namespace regsim::des
