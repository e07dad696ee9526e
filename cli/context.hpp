// cli/context.hpp: what a command runs with: the environment, the clock, the output streams, and in
// a batch the journal shared by every line.
#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <utility>

#include "cli/options.hpp"
#include "cli/render.hpp"
#include "journal/journal.hpp"

namespace nexadex::cli {

// Read once at start-up by main(); nothing else reads the environment or the clock.
struct Environment {
  std::optional<std::string> journal;   // NEXADEX_JOURNAL
  std::optional<std::string> format;    // NEXADEX_FORMAT
  std::optional<std::string> now;       // NEXADEX_NOW
  std::optional<std::string> checkpoint_every;   // NEXADEX_CHECKPOINT_EVERY
  std::optional<std::string> threads;            // NEXADEX_THREADS
  Timestamp clock;                      // the system clock at start-up
  bool stderr_is_terminal = false;
  bool stdout_is_terminal = false;     // a progress line would be mixed into what streams there
};

class Context {
 public:
  Context(std::ostream& out, std::ostream& err, Environment env)
      : m_out(&out), m_err(err), m_env(std::move(env)) {}

  std::ostream& out() { return *m_out; }
  // Sends what commands print to `out` until the next call (a batch holds its lines' output until it
  // commits); returns the stream it replaces.
  std::ostream& redirect_out(std::ostream& out) { return *std::exchange(m_out, &out); }
  std::ostream& err() { return m_err; }
  const Environment& env() const { return m_env; }

  Result<Format> format(const Options& o) const;
  Result<std::string> journal_path(const Options& o) const;
  // The command's time: --at, else the batch's time, else NEXADEX_NOW, else the clock.
  Result<Timestamp> time(const Options& o) const;

  // Opens the journal at `path` for writing, with the environment's checkpoint interval.
  Result<journal::Journal> open_writer(const std::string& path) const;
  // NEXADEX_THREADS: how many threads a command may use (unset: 3, the most verify uses; 1: one).
  Result<int64_t> threads() const;
  // Runs `fn` in a write transaction: the batch's, or one of its own that commits when `fn` succeeds
  // and leaves the journal untouched when it fails.
  Status write(const Options& o, const std::function<Status(journal::Journal&, Timestamp)>& fn);
  // Runs `fn` on a readable journal: the batch's (its state so far), or one opened read-only.
  Status read(const Options& o, const std::function<Status(journal::Journal&)>& fn);

  bool in_batch() const { return m_batch != nullptr; }
  void begin_batch(journal::Journal* j, Timestamp now) {
    m_batch = j;
    m_batch_now = now;
  }
  void end_batch() { m_batch = nullptr; }

 private:
  std::ostream* m_out;
  std::ostream& m_err;
  Environment m_env;
  journal::Journal* m_batch = nullptr;
  Timestamp m_batch_now;
};

}  // namespace nexadex::cli
