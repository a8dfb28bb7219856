// Rng: the simulator's only source of randomness.
//
// xoshiro256** seeded through SplitMix64. Everything is defined by integer
// arithmetic (no std::*_distribution, whose output is
// implementation-defined), so one seed gives the same decisions on every
// platform and standard library: a failing seed replays anywhere.
//
// Thread-safety: none; one Rng per owner.
#ifndef UNUM_SIM_RNG_H_
#define UNUM_SIM_RNG_H_

#include <cstdint>

namespace unum::sim {

// One SplitMix64 step: advances `state` and returns a well-mixed value.
inline uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    uint64_t s = seed;
    for (uint64_t& word : s_) word = SplitMix64(s);
  }

  // An independent generator for stream `stream` of `seed` (so that, for
  // example, user-code nonces do not shift the scheduler's decisions).
  static Rng Stream(uint64_t seed, uint64_t stream) {
    uint64_t s = seed ^ (0xD1B54A32D192ED03ULL * (stream + 1));
    return Rng(SplitMix64(s));
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n); 0 when n == 0. Unbiased (rejection sampling).
  uint64_t Uniform(uint64_t n) {
    if (n <= 1) return 0;
    const uint64_t threshold = (0 - n) % n;
    for (;;) {
      const uint64_t r = Next();
      if (r >= threshold) return r % n;
    }
  }

  // Uniform in [lo, hi] (inclusive); lo when hi < lo.
  int64_t Range(int64_t lo, int64_t hi) {
    if (hi <= lo) return lo;
    return lo +
           static_cast<int64_t>(Uniform(static_cast<uint64_t>(hi - lo) + 1));
  }

  // True with probability p (p <= 0: never, p >= 1: always).
  bool Chance(double p) {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return static_cast<double>(Next() >> 11) * 0x1.0p-53 < p;
  }

  // One of `values`, uniformly.
  template <typename T, size_t N>
  const T& Pick(const T (&values)[N]) {
    return values[Uniform(N)];
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace unum::sim

#endif  // UNUM_SIM_RNG_H_
