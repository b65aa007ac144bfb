// Helpers shared by the benchmark programs: wall clock, peak RSS, and the
// one-line JSON result each benchmark prints.
#pragma once

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <string>

#include <fmt/format.h>

namespace regsim::bench {

/// Peak resident set size of this process so far, in MiB.
inline double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

class Stopwatch {
 public:
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

/// Builds a flat JSON object: json.add("events", 799992); json.str().
class JsonLine {
 public:
  void add(const char* key, const std::string& value) { raw(key, fmt::format("\"{}\"", value)); }
  void add(const char* key, const char* value) { add(key, std::string(value)); }
  void add(const char* key, double value) { raw(key, fmt::format("{:.6g}", value)); }
  template <class Int>
  requires std::is_integral_v<Int>
  void add(const char* key, Int value) { raw(key, fmt::format("{}", value)); }
  std::string str() const { return "{" + body_ + "}"; }

 private:
  void raw(const char* key, const std::string& value) {
    if (!body_.empty()) body_ += ",";
    body_ += fmt::format("\"{}\":{}", key, value);
  }
  std::string body_;
};

}  // namespace regsim::bench
