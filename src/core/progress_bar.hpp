#pragma once
// Renders progress of a long stage: a redrawn bar with rate and ETA on a terminal, or a plain
// line every few seconds when stderr is a file (Slurm logs), where carriage returns make a mess.
// It only formats and prints; comm/ feeds it the count summed over all ranks.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace quarry {

class ProgressBar {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Style { bar, lines, silent };

  // Style auto-detected from isatty(stderr); QUARRY_PROGRESS=bar|lines|off overrides.
  ProgressBar(std::string label, std::uint64_t total, std::string unit = "items");
  ProgressBar(std::string label, std::uint64_t total, std::string unit, Style style, std::FILE* out,
              std::chrono::milliseconds line_interval);

  // Called with the global count; draws at most every redraw interval.
  void update(std::uint64_t done);
  // The final line with the total time and mean rate.
  void finish(std::uint64_t done);

  // "label  42.0% |#####     | 4200/10000 items  1234 items/s  ETA 0:05" (pure; for tests).
  std::string format(std::uint64_t done, double elapsed_seconds, bool final_line) const;

 private:
  std::string label_;
  std::uint64_t total_;
  std::string unit_;
  Style style_;
  std::FILE* out_;
  std::chrono::milliseconds interval_;
  Clock::time_point start_;
  Clock::time_point last_draw_;
  bool drawn_ = false;
};

// "1:02:03" / "2:03"
std::string format_duration(double seconds);

}  // namespace quarry
