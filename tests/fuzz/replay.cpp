// tests/fuzz/replay.cpp: the fuzz targets without libFuzzer (any compiler): `nexadex_fuzz_replay
// TARGET DIR...` feeds every file under each DIR (a missing DIR is empty), in name order, to TARGET's
// entry point; a violated invariant aborts, which fails the CTest case fuzz.<TARGET>.
#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#define NEXADEX_FUZZ_TARGETS(X) X(decimal) X(config_toml) X(price_csv) X(run_line) X(codec) X(journal_file) X(shock_spec)

#define NEXADEX_DECLARE(name) extern "C" int nexadex_fuzz_##name(const uint8_t* data, std::size_t size);
NEXADEX_FUZZ_TARGETS(NEXADEX_DECLARE)

namespace {

struct Target {
  const char* name;
  int (*run)(const uint8_t*, std::size_t);
};

#define NEXADEX_ENTRY(name) Target{#name, nexadex_fuzz_##name},
const Target k_targets[] = {NEXADEX_FUZZ_TARGETS(NEXADEX_ENTRY)};

// The input being run, named by the handler when a violated invariant aborts or the target crashes.
const char* g_current = "";

extern "C" void name_input(int sig) {
  std::fprintf(stderr, "nexadex_fuzz_replay: the input that failed: %s\n", g_current);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: nexadex_fuzz_replay TARGET DIR...\n");
    return 2;
  }
  const Target* target = nullptr;
  for (const auto& t : k_targets) {
    if (argv[1] == std::string(t.name)) target = &t;
  }
  if (target == nullptr) {
    std::fprintf(stderr, "nexadex_fuzz_replay: no fuzz target '%s'\n", argv[1]);
    return 2;
  }
  std::vector<std::filesystem::path> inputs;
  for (int i = 2; i < argc; ++i) {
    if (!std::filesystem::is_directory(argv[i])) continue;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(argv[i])) {
      if (entry.is_regular_file()) inputs.push_back(entry.path());
    }
  }
  std::sort(inputs.begin(), inputs.end());
  if (inputs.empty()) {
    std::fprintf(stderr, "nexadex_fuzz_replay: %s: no inputs under the directories given\n", target->name);
    return 1;
  }
  for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) std::signal(sig, name_input);
  for (const auto& path : inputs) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    g_current = path.c_str();
    target->run(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  }
  std::printf("%s: %zu inputs replayed\n", target->name, inputs.size());
  return 0;
}
