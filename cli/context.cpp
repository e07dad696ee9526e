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

Result<int64_t> Context::threads() const {
  if (!m_env.threads) return 3;
  const std::string& v = *m_env.threads;
  const bool digits = !v.empty() && v.size() <= 18 && v.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || std::stoll(v) < 1) {
    return input_error("NEXADEX_THREADS is '" + v + "'; give a whole number of threads of at least 1 (1: verify "
                       "runs on one), or unset it.");
  }
  return std::stoll(v);
}

Result<journal::Journal> Context::open_writer(const std::string& path) const {
  std::optional<int64_t> every;
  if (m_env.checkpoint_every) {
    const std::string& v = *m_env.checkpoint_every;
    int64_t n = 0;
    const bool digits = !v.empty() && v.size() <= 18 && v.find_first_not_of("0123456789") == std::string::npos;
    if (digits) n = std::stoll(v);
    if (!digits || n < 1) {
      return input_error("NEXADEX_CHECKPOINT_EVERY is '" + v + "'; give a whole number of events of at least 1, e.g. "
                         "8192, or unset it.");
    }
    every = n;
  }
  NX_TRY(j, journal::Journal::open(path, journal::Access::write));
  if (every) j.set_checkpoint_every(*every);
  return j;
}

Status Context::write(const Options& o, const std::function<Status(journal::Journal&, Timestamp)>& fn) {
  NX_TRY(at, time(o));
  if (m_batch) return fn(*m_batch, at);
  NX_TRY(path, journal_path(o));
  NX_TRY(j, open_writer(path));
  if (auto ok = j.begin(); !ok) return ok;
  if (auto ok = fn(j, at); !ok) {
    j.rollback();
    return ok;
  }
  return j.commit();
}

Status Context::read(const Options& o, const std::function<Status(journal::Journal&)>& fn) {
  if (m_batch) {
    if (auto ok = m_batch->flush(); !ok) return ok;
    return fn(*m_batch);
  }
  NX_TRY(path, journal_path(o));
  NX_TRY(j, journal::Journal::open(path, journal::Access::read));
  return fn(j);
}

}  // namespace nexadex::cli
