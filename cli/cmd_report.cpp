// cli/cmd_report.cpp: `report [summary|events] [--as-of TIME | --seq N]`.
#include <algorithm>

#include "cli/commands.hpp"

namespace nexadex::cli {
namespace {

// How far into the journal the report looks, and the report's time.
struct Horizon {
  std::optional<int64_t> seq;
  std::optional<Timestamp> at;
};

Result<Horizon> horizon(const Options& o) {
  Horizon h;
  if (o.seq) {
    auto n = parse_decimal(*o.seq, 0, Sign::positive, "--seq");
    if (!n) return input_error("--seq '" + *o.seq + "' is not an event seq; give a whole number from 1 to the head seq.");
    h.seq = *n;
  }
  if (o.as_of) {
    auto t = parse_time(*o.as_of, "--as-of");
    if (!t) return std::unexpected(t.error());
    h.at = *t;
  }
  return h;
}

}  // namespace

Status cmd_report(Context& ctx, const Options& o) {
  auto format = ctx.format(o);
  if (!format) return std::unexpected(format.error());
  auto h = horizon(o);
  if (!h) return std::unexpected(h.error());
  auto now = ctx.time(o);
  if (!now) return std::unexpected(now.error());
  return ctx.read(o, [&](journal::Journal& j) -> Status {
    auto current = j.load_state();
    if (!current) return std::unexpected(current.error());
    const JournalHead last = j.head();
    if (h->seq && *h->seq > last.seq) {
      return input_error("--seq " + std::to_string(*h->seq) + " is past the journal's head seq " +
                         std::to_string(last.seq) + "; give at most " + std::to_string(last.seq) + ".");
    }
    State state = std::move(*current);
    JournalHead head = last;
    // A report is never dated before the state it shows.
    Timestamp report_at = std::max(*now, last.at);
    if (h->seq || h->at) {
      auto replayed = j.replay(h->seq, h->at);
      if (!replayed) return std::unexpected(replayed.error());
      if (replayed->second.seq == 0) {
        return input_error("--as-of " + format_time(*h->at) + " is before the journal's first event; give a later time.");
      }
      state = std::move(replayed->first);
      head = replayed->second;
      report_at = h->at ? *h->at : head.at;
    }
    if (o.report_what == "events") {
      Report report{"events", {events_section()}};
      auto ok = j.scan(1, head.seq, [&](const journal::StoredEvent& row) -> Status {
        auto ev = journal::decode(row);
        if (!ev) return journal_error("event " + std::to_string(row.seq) + " cannot be decoded (" + ev.error().message +
                                      "); run 'nexadex verify'.");
        report.sections[0].rows.push_back(event_row(*ev, row.hash));
        return {};
      });
      if (!ok) return ok;
      render(report, *format, ctx.out());
      return {};
    }
    const std::string& what = o.report_what;
    const bool needs_id = what == "lp" || what == "position";
    if (needs_id && o.report_id.empty()) {
      return input_error("report " + what + " needs an " + (what == "lp" ? "LP name" : "id") + ", e.g. report " + what +
                         (what == "lp" ? " alice." : " 5."));
    }
    if (!needs_id && !o.report_id.empty()) {
      return input_error("report " + what + " takes no '" + o.report_id + "'; only 'report lp' and 'report position' take one.");
    }
    Result<Report> report = summary_report(state, head, report_at);
    if (what == "pool") report = pool_report(state, report_at);
    else if (what == "lps") report = lps_report(state);
    else if (what == "tranches") report = tranches_report(state, report_at);
    else if (what == "cascades") report = cascades_report(state);
    else if (what == "lp") report = lp_report(state, o.report_id);
    else if (what == "positions") report = positions_report(state, o.all);
    else if (what == "traders") report = traders_report(state);
    else if (what == "insurance") report = insurance_report(state);
    else if (what == "fees") report = fees_report(state);
    else if (what == "position") {
      auto id = parse_decimal(o.report_id, 0, Sign::positive, "ID");
      if (!id) return input_error("position id '" + o.report_id + "' is not an id; 'report positions' lists them.");
      report = position_report(state, *id);
    }
    if (!report) return std::unexpected(report.error());
    if (state.vault.unacknowledged().is_positive()) {
      ctx.err() << "nexadex: warning: " << to_string(state.vault.unacknowledged())
                << " of losses could not be absorbed by any layer and nobody has acknowledged them; see 'report "
                   "insurance', then 'nexadex acknowledge'.\n";
    }
    render(*report, *format, ctx.out());
    return {};
  });
}

}  // namespace nexadex::cli
