// bench/spawn_timer.cpp: times whole processes (posix_spawn to wait4, steady_clock), arms interleaved.
//
//   spawn_timer --runs N [--warmup W] [--log FILE] --arm NAME AT0 PROGRAM ARGS... [--arm ...]
//
// Runs every arm once per round, W + N rounds, so that drift on the machine falls on all arms alike.
// In ARGS, "{t}" becomes AT0 + k (k counts that arm's runs, warm-ups included, so times keep
// increasing) and "{price}" the price of that second (bench_common.hpp). stdout goes to /dev/null,
// stderr to FILE (appended) or is inherited. A run that exits non-zero stops everything (exit 1).
// Prints one line per arm:  NAME runs N median_us M p10_us A p90_us B min_us C mean_us D cpu_median_us U
// (wall times; cpu is the child's user + system time from wait4, which other load disturbs less).
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "bench/bench_common.hpp"

extern char** environ;

using namespace nexadex::bench;

namespace {

struct Arm {
  std::string name;
  int64_t at0 = 0;
  std::vector<std::string> argv;
  std::vector<int64_t> micros;
  std::vector<int64_t> cpu_micros;
};

std::string substitute(std::string s, int64_t at) {
  auto replace = [&](const std::string& from, const std::string& to) {
    for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
      s.replace(pos, from.size(), to);
    }
  };
  replace("{t}", std::to_string(at));
  replace("{price}", price_text(at));
  return s;
}

[[noreturn]] void usage() {
  std::fprintf(stderr, "usage: spawn_timer --runs N [--warmup W] [--log FILE] --arm NAME AT0 PROGRAM ARGS... [--arm ...]\n");
  std::exit(1);
}

int64_t percentile(const std::vector<int64_t>& sorted, int pct) {
  const std::size_t i = (sorted.size() - 1) * static_cast<std::size_t>(pct) / 100;
  return sorted[i];
}

}  // namespace

int main(int argc, char** argv) {
  int64_t runs = 0, warmup = 0;
  std::string log;
  std::vector<Arm> arms;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (!arms.empty() && a != "--arm") {
      arms.back().argv.push_back(a);
    } else if (a == "--runs" && i + 1 < argc) {
      runs = arg_int("spawn_timer", "--runs", argv[++i]);
    } else if (a == "--warmup" && i + 1 < argc) {
      warmup = arg_int("spawn_timer", "--warmup", argv[++i]);
    } else if (a == "--log" && i + 1 < argc) {
      log = argv[++i];
    } else if (a == "--arm" && i + 3 < argc) {
      Arm arm;
      arm.name = argv[++i];
      arm.at0 = arg_int("spawn_timer", "AT0", argv[++i]);
      arms.push_back(std::move(arm));
    } else {
      usage();
    }
  }
  if (runs < 1 || warmup < 0 || arms.empty()) usage();
  for (const auto& arm : arms) {
    if (arm.argv.empty()) usage();
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  if (!log.empty()) posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);

  for (int64_t k = 0; k < warmup + runs; ++k) {
    for (auto& arm : arms) {
      std::vector<std::string> args;
      for (const auto& s : arm.argv) args.push_back(substitute(s, arm.at0 + k));
      std::vector<char*> cargs;
      for (auto& s : args) cargs.push_back(s.data());
      cargs.push_back(nullptr);

      const auto start = std::chrono::steady_clock::now();
      pid_t pid = 0;
      if (const int err = posix_spawnp(&pid, cargs[0], &actions, nullptr, cargs.data(), environ); err != 0) {
        std::fprintf(stderr, "spawn_timer: cannot start %s: %s\n", cargs[0], std::strerror(err));
        return 1;
      }
      int status = 0;
      rusage ru{};
      while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
          std::perror("spawn_timer: wait4");
          return 1;
        }
      }
      const auto stop = std::chrono::steady_clock::now();
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::string cmd;
        for (const auto& s : args) cmd += (cmd.empty() ? "" : " ") + s;
        std::fprintf(stderr, "spawn_timer: arm %s run %lld failed (status %d): %s\n", arm.name.c_str(),
                     static_cast<long long>(k), status, cmd.c_str());
        return 1;
      }
      if (k >= warmup) {
        arm.micros.push_back(std::chrono::duration_cast<std::chrono::microseconds>(stop - start).count());
        auto us = [](const timeval& tv) { return int64_t{tv.tv_sec} * 1'000'000 + tv.tv_usec; };
        arm.cpu_micros.push_back(us(ru.ru_utime) + us(ru.ru_stime));
      }
    }
  }
  posix_spawn_file_actions_destroy(&actions);

  // median: the mean of the two middle runs when n is even (integer microseconds)
  auto median = [](std::vector<int64_t>& v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  };
  for (auto& arm : arms) {
    const int64_t cpu_median = median(arm.cpu_micros);
    const int64_t wall_median = median(arm.micros);
    const std::size_t n = arm.micros.size();
    int64_t sum = 0;
    for (auto v : arm.micros) sum += v;
    std::printf("%s runs %zu median_us %lld p10_us %lld p90_us %lld min_us %lld mean_us %lld cpu_median_us %lld\n",
                arm.name.c_str(), n, static_cast<long long>(wall_median),
                static_cast<long long>(percentile(arm.micros, 10)), static_cast<long long>(percentile(arm.micros, 90)),
                static_cast<long long>(arm.micros.front()), static_cast<long long>(sum / static_cast<int64_t>(n)),
                static_cast<long long>(cpu_median));
  }
  return 0;
}
