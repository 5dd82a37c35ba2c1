#include "core/base/clock.h"

#include <sodium.h>

#include <chrono>
#include <stdexcept>

namespace hearth {

int64_t SystemClock::now_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

SystemRandom::SystemRandom() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

void SystemRandom::fill(std::span<uint8_t> out) { randombytes_buf(out.data(), out.size()); }

void SeededRandom::fill(std::span<uint8_t> out) {
  for (auto& b : out) {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    b = static_cast<uint8_t>(z ^ (z >> 31));
  }
}

std::string random_alphanumeric(Random& random, size_t n) {
  static constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string out;
  out.reserve(n);
  while (out.size() < n) {
    uint8_t b[16];
    random.fill(b);
    for (uint8_t x : b) {
      if (x >= 248) continue;  // 248 = 62 * 4: reject to stay unbiased
      out.push_back(kAlphabet[x % 62]);
      if (out.size() == n) break;
    }
  }
  return out;
}

}  // namespace hearth
