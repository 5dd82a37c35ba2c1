#pragma once
// Time and randomness are injected: the sequencer decides them and writes them into events, so
// tests are deterministic and applying the log is pure (DESIGN I3).
#include <cstdint>
#include <span>
#include <string>

namespace hearth {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t now_us() = 0;  // microseconds since the Unix epoch
};

class Random {
 public:
  virtual ~Random() = default;
  virtual void fill(std::span<uint8_t> out) = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t now_us() override;
};

// libsodium's CSPRNG: tokens must be unguessable.
class SystemRandom final : public Random {
 public:
  SystemRandom();
  void fill(std::span<uint8_t> out) override;
};

// For tests: a clock that advances by a fixed step on every read.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start_us = 1'700'000'000'000'000, int64_t step_us = 1000)
      : now_(start_us), step_(step_us) {}
  int64_t now_us() override { return now_ += step_; }

 private:
  int64_t now_;
  int64_t step_;
};

// For tests: a seeded deterministic generator (splitmix64). Not for production tokens.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed) {}
  void fill(std::span<uint8_t> out) override;

 private:
  uint64_t state_;
};

// `n` characters from [0-9A-Za-z], drawn from `random` without modulo bias.
std::string random_alphanumeric(Random& random, size_t n);

}  // namespace hearth
