#include "migrate/progress.h"

#include <cstdio>

namespace hearth::migrate {

void Progress::phase(const std::string& name, int64_t total) {
  name_ = name;
  total_ = total;
  done_ = 0;
  last_drawn_ = -1;
  start_ = last_ = std::chrono::steady_clock::now();
  draw(true);
}

void Progress::advance(int64_t n) {
  done_ += n;
  // Checking the clock per row would cost more than the row; look every 1024.
  if ((done_ & 1023) == 0) draw(false);
}

void Progress::finish() {
  if (!out_) return;
  draw(true);
  if (tty_) *out_ << "\n";
  out_->flush();
}

void Progress::draw(bool force) {
  if (!out_) return;
  auto now = std::chrono::steady_clock::now();
  double secs = std::chrono::duration<double>(now - start_).count();
  double rate = secs > 0 ? static_cast<double>(done_) / secs : 0;
  int pct = total_ > 0 ? static_cast<int>(done_ * 100 / total_) : 100;
  if (tty_) {
    if (!force && now - last_ < std::chrono::milliseconds(100)) return;
    constexpr int kWidth = 30;
    int filled = pct * kWidth / 100;
    double eta = rate > 0 ? static_cast<double>(total_ - done_) / rate : 0;
    char line[256];
    std::snprintf(line, sizeof line, "\r%-14s [%-*s] %3d%% %lld/%lld %.0f/s ETA %.0fs   ", name_.c_str(), kWidth,
                  std::string(static_cast<size_t>(filled), '#').c_str(), pct, static_cast<long long>(done_),
                  static_cast<long long>(total_), rate, eta);
    *out_ << line;
    out_->flush();
  } else {
    bool step = total_ > 0 && pct / 10 != last_drawn_ / 10;
    if (!force && !step && now - last_ < std::chrono::seconds(5)) return;
    *out_ << name_ << ": " << done_ << "/" << total_ << " (" << pct << "%, " << static_cast<int64_t>(rate) << "/s)\n";
    last_drawn_ = pct;
  }
  last_ = now;
}

}  // namespace hearth::migrate
