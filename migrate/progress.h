#pragma once
// Import progress on stderr: a redrawn bar with rate and ETA on a terminal, plain lines (about
// every 10% or 5 s) otherwise, so logs of a piped import stay readable.
#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace hearth::migrate {

class Progress {
 public:
  // `out` nullptr: silent. `tty`: draw a bar with '\r'.
  Progress(std::ostream* out, bool tty) : out_(out), tty_(tty) {}

  void phase(const std::string& name, int64_t total);
  void advance(int64_t n = 1);
  void finish();  // ends the phase's line

 private:
  void draw(bool force);
  std::ostream* out_;
  bool tty_;
  std::string name_;
  int64_t total_ = 0, done_ = 0, last_drawn_ = -1;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace hearth::migrate
