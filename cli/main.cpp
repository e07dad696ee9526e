// cli/main.cpp: the nexadex binary: the only top-level catch, one stderr line, then the exit code.
#include <malloc.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>

#include "cli/commands.hpp"

namespace {

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace nexadex;
  using namespace nexadex::cli;
  std::ios::sync_with_stdio(false);
  // One short-lived process: keep freed memory for reuse rather than handing large blocks back to the
  // kernel, whose fresh pages (zeroed on first touch) cost a stress test more than its arithmetic.
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  mallopt(M_TOP_PAD, 16 << 20);
  try {
    auto cli = make_cli();
    std::vector<std::string> args(argv + 1, argv + argc);
    auto parsed = parse_command_line(*cli, args, std::cout);
    if (!parsed) {
      std::cout.flush();
      std::cerr << "nexadex: " << parsed.error().message << '\n';
      return exit_code(parsed.error().kind);
    }
    if (*parsed == Parsed::handled) return 0;
    Environment e;
    e.journal = env("NEXADEX_JOURNAL");
    e.format = env("NEXADEX_FORMAT");
    e.now = env("NEXADEX_NOW");
    e.checkpoint_every = env("NEXADEX_CHECKPOINT_EVERY");
    e.threads = env("NEXADEX_THREADS");
    e.clock = Timestamp{std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count()};
    e.stderr_is_terminal = ::isatty(STDERR_FILENO) == 1;
    e.stdout_is_terminal = ::isatty(STDOUT_FILENO) == 1;
    Context ctx(std::cout, std::cerr, std::move(e));
    std::string name;
    for (const auto& p : cli->path) name += (name.empty() ? "" : " ") + p;
    // A bad --format or NEXADEX_FORMAT is refused before anything is written.
    auto status = [&]() -> Status {
      NX_TRY_STATUS(ctx.format(cli->opts));
      return dispatch(ctx, *cli);
    }();
    std::cout.flush();
    if (!status) {
      std::cerr << "nexadex: " << name << ": " << status.error().message << '\n';
      return exit_code(status.error().kind);
    }
    if (!std::cout) {
      std::cerr << "nexadex: " << name << ": writing standard output failed.\n";
      return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    std::cout.flush();
    std::cerr << "nexadex: internal error: " << e.what() << "; please report it with the command that caused it.\n";
    return 1;
  }
}
