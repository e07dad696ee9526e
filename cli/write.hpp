// cli/write.hpp: the one skeleton of every write command: its events appended in one transaction,
// then what they did printed (unless --quiet) and a loss no layer could absorb warned of.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cli/context.hpp"

namespace nexadex::cli {

// The events a write command appended and what each did, kept to be printed once the transaction has
// committed (in a batch, once the batch has).
struct Appended {
  explicit Appended(const Options& o) : keep(!o.quiet) {}
  bool keep;   // false with --quiet: nothing will be printed, so nothing is kept (nor valued)
  std::vector<AppliedEvent> applied;
  // Appends one event to `j`, then the events the rules journal after it (a wiped tranche's reset).
  Status add(journal::Journal& j, EventBody body, Timestamp at);
};

// Appends a command's events to `j` at `at` through `appended`.
using AppendEvents = std::function<Status(journal::Journal& j, Timestamp at, Appended& appended)>;

// Runs `append` in a write transaction (Context::write: the batch's, or one of its own) and builds
// lib/outcome.hpp's report named `command` of what was appended in it, unless --quiet (a report that
// cannot be built refuses the write). Once it has committed, prints the report; then, SPEC §4,
// DESIGN-risk §3: a loss no layer could take exits 0, but with a warning on stderr. Returns the first
// error of the transaction, having written and printed nothing. A bad --format or NEXADEX_FORMAT is
// refused before anything is written.
Status write_events(Context& ctx, const Options& o, const std::string& command, const AppendEvents& append);
// The same, with `summarise` building the report of what was appended (not called with --quiet).
Status write_events(Context& ctx, const Options& o, Format format, const AppendEvents& append,
                    const std::function<Result<Report>(const Appended&)>& summarise);

}  // namespace nexadex::cli
