#include "core/progress_bar.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace quarry {

namespace {
ProgressBar::Style style_from_environment() {
  if (const char* value = std::getenv("QUARRY_PROGRESS")) {
    if (std::strcmp(value, "off") == 0) return ProgressBar::Style::silent;
    if (std::strcmp(value, "lines") == 0) return ProgressBar::Style::lines;
    if (std::strcmp(value, "bar") == 0) return ProgressBar::Style::bar;
  }
  return isatty(STDERR_FILENO) ? ProgressBar::Style::bar : ProgressBar::Style::lines;
}

std::string format_rate(double per_second) {
  if (per_second >= 1e6) return fmt::format("{:.2f}M", per_second / 1e6);
  if (per_second >= 1e4) return fmt::format("{:.1f}k", per_second / 1e3);
  return fmt::format("{:.0f}", per_second);
}
}  // namespace

std::string format_duration(double seconds) {
  auto total = static_cast<long long>(std::llround(std::max(0.0, seconds)));
  long long h = total / 3600, m = (total / 60) % 60, s = total % 60;
  return h > 0 ? fmt::format("{}:{:02}:{:02}", h, m, s) : fmt::format("{}:{:02}", m, s);
}

ProgressBar::ProgressBar(std::string label, std::uint64_t total, std::string unit)
    : ProgressBar(std::move(label), total, std::move(unit), style_from_environment(), stderr,
                  std::chrono::seconds(10)) {}

ProgressBar::ProgressBar(std::string label, std::uint64_t total, std::string unit, Style style,
                         std::FILE* out, std::chrono::milliseconds line_interval)
    : label_(std::move(label)),
      total_(total),
      unit_(std::move(unit)),
      style_(style),
      out_(out),
      interval_(style == Style::bar ? std::chrono::milliseconds(200) : line_interval),
      start_(Clock::now()),
      last_draw_(start_) {}

std::string ProgressBar::format(std::uint64_t done, double elapsed, bool final_line) const {
  double fraction = total_ ? std::min(1.0, double(done) / double(total_)) : 1.0;
  double rate = elapsed > 0 ? double(done) / elapsed : 0.0;
  std::string text = fmt::format("{} {:5.1f}%", label_, 100.0 * fraction);
  if (style_ == Style::bar) {
    constexpr int kWidth = 24;
    int filled = static_cast<int>(fraction * kWidth);
    text += " |" + std::string(filled, '#') + std::string(kWidth - filled, ' ') + "|";
  }
  text += fmt::format(" {}/{} {}  {} {}/s", done, total_, unit_, format_rate(rate), unit_);
  if (final_line)
    text += "  in " + format_duration(elapsed);
  else if (rate > 0 && done < total_)
    text += "  ETA " + format_duration(double(total_ - done) / rate);
  return text;
}

void ProgressBar::update(std::uint64_t done) {
  if (style_ == Style::silent) return;
  auto now = Clock::now();
  if (drawn_ && now - last_draw_ < interval_) return;
  if (!drawn_ && style_ == Style::lines && now - start_ < interval_) return;
  double elapsed = std::chrono::duration<double>(now - start_).count();
  if (style_ == Style::bar)
    std::fprintf(out_, "\r%s\033[K", format(done, elapsed, false).c_str());
  else
    std::fprintf(out_, "%s\n", format(done, elapsed, false).c_str());
  std::fflush(out_);
  drawn_ = true;
  last_draw_ = now;
}

void ProgressBar::finish(std::uint64_t done) {
  if (style_ == Style::silent) return;
  double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
  if (style_ == Style::bar) std::fprintf(out_, "\r\033[K");
  std::fprintf(out_, "%s\n", format(done, elapsed, true).c_str());
  std::fflush(out_);
}

}  // namespace quarry
