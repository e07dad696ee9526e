// cli/context.cpp: resolving the journal, the format and the time; write and read transactions.
#include "cli/context.hpp"

namespace nexadex::cli {

Result<Format> Context::format(const Options& o) const {
  const std::string f = o.format ? *o.format : m_env.format.value_or("table");
  if (f == "table") return Format::table;
  if (f == "json") return Format::json;
  if (f == "csv") return Format::csv;
  return input_error(std::string(o.format ? "--format" : "NEXADEX_FORMAT") + " '" + f +
                     "' is not a format; use table, json or csv.");
}

Result<std::string> Context::journal_path(const Options& o) const {
  if (o.journal) {
    if (o.journal->empty()) return input_error("--journal is empty; give the path of a journal file.");
    return *o.journal;
  }
  if (m_env.journal) {
    if (m_env.journal->empty()) return input_error("NEXADEX_JOURNAL is empty; unset it or give a journal path.");
    return *m_env.journal;
  }
  return std::string("nexadex.db");
}

Result<Timestamp> Context::time(const Options& o) const {
  if (o.at) return parse_time(*o.at, "--at");
  if (m_batch) return m_batch_now;
  if (m_env.now) return parse_time(*m_env.now, "NEXADEX_NOW");
  return m_env.clock;
}

Status Context::write(const Options& o, const std::function<Status(journal::Journal&, Timestamp)>& fn) {
  auto at = time(o);
  if (!at) return std::unexpected(at.error());
  if (m_batch) return fn(*m_batch, *at);
  auto path = journal_path(o);
  if (!path) return std::unexpected(path.error());
  auto j = journal::Journal::open(*path, journal::Access::write);
  if (!j) return std::unexpected(j.error());
  if (auto ok = j->begin(); !ok) return ok;
  if (auto ok = fn(*j, *at); !ok) {
    j->rollback();
    return ok;
  }
  return j->commit();
}

Status Context::read(const Options& o, const std::function<Status(journal::Journal&)>& fn) {
  if (m_batch) {
    if (auto ok = m_batch->flush(); !ok) return ok;
    return fn(*m_batch);
  }
  auto path = journal_path(o);
  if (!path) return std::unexpected(path.error());
  auto j = journal::Journal::open(*path, journal::Access::read);
  if (!j) return std::unexpected(j.error());
  return fn(*j);
}

Status Appended::add(journal::Journal& j, EventBody body, Timestamp at) {
  if (!keep) {
    auto seq = j.append(std::move(body), at);
    if (!seq) return std::unexpected(seq.error());
  } else {
    AppliedEvent a{Event{0, at, body}, {}, {}};
    auto seq = j.append(std::move(body), at, &a.outcome);
    if (!seq) return std::unexpected(seq.error());
    a.event.seq = *seq;
    a.hash = j.head().hash;
    applied.push_back(std::move(a));
  }
  // what the rules journal on their own after it (a wiped tranche's reset), at the same time
  auto more = follow_up_events(j.state());
  if (!more) return std::unexpected(more.error());
  for (auto& next : *more) {
    if (auto ok = add(j, std::move(next), at); !ok) return ok;
  }
  return {};
}

void print_appended(Context& ctx, const Options& o, const Appended& appended, const std::string& command) {
  if (!appended.keep) return;
  auto format = ctx.format(o);
  render(outcome_report(command, appended.applied), format ? *format : Format::table, ctx.out());
}

void warn_unabsorbed(Context& ctx, Usd before, Usd after) {
  if (after <= before) return;
  ctx.err() << "nexadex: warning: a loss of " << to_string(Usd(after.units() - before.units()))
            << " could not be absorbed by insurance or the LPs; it is journaled as unabsorbed and shown in every report.\n";
}

}  // namespace nexadex::cli
