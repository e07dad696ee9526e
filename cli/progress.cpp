// cli/progress.cpp: the progress line of long work.
#include "cli/progress.hpp"

#include <ostream>

namespace nexadex::cli {
namespace {

constexpr auto k_first = std::chrono::milliseconds(500);
constexpr auto k_every = std::chrono::milliseconds(250);

// 1234567 → "1,234,567"
std::string grouped(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

// A rate with one decimal and a unit prefix, from ten times the rate: 9,500 → "950", 21,000,000 →
// "2.1 M".
std::string rate_text(int64_t rate10) {
  const auto tenths = [](int64_t t) { return std::to_string(t / 10) + "." + std::to_string(t % 10); };
  if (rate10 >= 10'000'000) return tenths(rate10 / 1'000'000) + " M";
  if (rate10 >= 10'000) return tenths(rate10 / 1'000) + " k";
  return std::to_string(rate10 / 10);
}

// 185 s → "3:05", 4,000 s → "1:06:40"
std::string duration_text(int64_t s) {
  const auto two = [](int64_t v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  if (s >= 3600) return std::to_string(s / 3600) + ":" + two(s / 60 % 60) + ":" + two(s % 60);
  return std::to_string(s / 60) + ":" + two(s % 60);
}

}  // namespace

ProgressLine::ProgressLine(Context& ctx, const Options& o, std::string label, std::string unit, int64_t every,
                           bool streams_to_stdout)
    : m_label(std::move(label)), m_unit(std::move(unit)), m_start(Clock::now()), m_every(every) {
  const bool mixed = streams_to_stdout && ctx.env().stdout_is_terminal;
  if (ctx.env().stderr_is_terminal && !o.quiet && !mixed) m_err = &ctx.err();
  m_next = m_start + k_first;
}

std::string ProgressLine::text(const std::string& label, const std::string& unit, int64_t done, int64_t total,
                               int64_t elapsed_ms) {
  std::string line = label + ": " + grouped(done);
  if (total > 0) line += " / " + grouped(total);
  line += " " + unit;
  if (total > 0) line += " (" + std::to_string(done * 100 / total) + "%)";
  if (elapsed_ms > 0) {
    const int64_t per_10s = done * 10'000 / elapsed_ms;  // ten times the rate a second, for one decimal
    line += ", " + rate_text(per_10s) + " " + unit + "/s";
    if (total > 0 && done > 0 && done < total) {
      line += ", " + duration_text((total - done) * elapsed_ms / done / 1000) + " left";
    }
  }
  return line;
}

void ProgressLine::update(int64_t done, int64_t total) {
  if (m_err == nullptr || m_calls++ % m_every != 0) return;
  const auto now = Clock::now();
  if (now < m_next) return;
  m_next = now + k_every;
  const int64_t elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - m_start).count();
  *m_err << '\r' << text(m_label, m_unit, done, total, elapsed) << "\x1b[K" << std::flush;
  m_drawn = true;
}

void ProgressLine::clear() {
  if (!m_drawn) return;
  *m_err << "\r\x1b[K" << std::flush;
  m_drawn = false;
}

}  // namespace nexadex::cli
