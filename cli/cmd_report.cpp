// cli/cmd_report.cpp: `report [WHAT [ID]] [--as-of TIME | --seq N]` and the options of some reports:
// --all and the filters of positions, the filters of events, --every and --svg of history.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <set>
#include <vector>

#include "cli/chart.hpp"
#include "cli/commands.hpp"
#include "cli/progress.hpp"

namespace nexadex::cli {
namespace {

struct ReportArgs {
  std::string what = "summary";          // WHAT
  std::string id;                        // ID
  bool all = false;                      // --all
  std::optional<std::string> as_of;      // --as-of TIME
  std::optional<std::string> seq;        // --seq N
  std::optional<std::string> every;      // --every DURATION (history)
  std::optional<std::string> svg;        // --svg FILE (history)
  std::vector<std::string> kinds;        // --kind K[,K...] (events)
  std::optional<std::string> since;      // --since TIME (events)
  std::optional<std::string> until;      // --until TIME (events)
  std::optional<std::string> offset;     // --offset N (events)
  std::optional<std::string> limit;      // --limit N (events, positions)
  std::optional<std::string> market;     // --market M (positions)
  std::optional<std::string> trader;     // --trader T (positions)
  std::optional<std::string> side;       // --side long|short (positions)
  bool liquidatable = false;             // --liquidatable (positions)
  bool operator==(const ReportArgs&) const = default;
};

// How far into the journal the report looks, and the report's time.
struct Horizon {
  std::optional<int64_t> seq;
  std::optional<Timestamp> at;
};

Result<Horizon> horizon(const ReportArgs& a) {
  Horizon h;
  if (a.seq) {
    auto n = parse_decimal(*a.seq, 0, Sign::positive, "--seq");
    if (!n) return input_error("--seq '" + *a.seq + "' is not an event seq; give a whole number from 1 to the head seq.");
    h.seq = *n;
  }
  if (a.as_of) {
    NX_TRY(t, parse_time(*a.as_of, "--as-of"));
    h.at = t;
  }
  return h;
}

// Only --as-of can reach back before seq 1 (a journal always holds its journal_created event).
Status before_first_event(Timestamp at) {
  return input_error("--as-of " + format_time(at) + " is before the journal's first event; give a later time.");
}

// A count given to --limit (at least 1) or --offset (at least 0).
Result<int64_t> count_option(const std::string& text, const std::string& option, Sign sign) {
  auto n = parse_decimal(text, 0, sign, option);
  if (!n) {
    return input_error(option + " '" + text + "' is not a count; give a whole number" +
                       (sign == Sign::positive ? " from 1" : " from 0") + ", e.g. " + option + " 100.");
  }
  return *n;
}

// The options that go with one report only, refused with any other.
Status check_report_options(const ReportArgs& a) {
  const bool events_only = !a.kinds.empty() || a.since || a.until || a.offset;
  if (events_only && a.what != "events") {
    return input_error("--kind, --since, --until and --offset go with 'report events' only.");
  }
  const bool positions_only = a.market || a.trader || a.side || a.liquidatable;
  if (positions_only && a.what != "positions") {
    return input_error("--market, --trader, --side and --liquidatable go with 'report positions' only.");
  }
  if (a.limit && a.what != "events" && a.what != "positions") {
    return input_error("--limit goes with 'report events' and 'report positions' only.");
  }
  return {};
}

// `report events`: the events up to the horizon (--seq, --as-of) read straight from the journal, no
// replay: of the kinds asked (--kind), timed within --since and --until, the first --offset of those
// skipped, at most --limit of them. The time bounds are found by bisection on seq (event times never
// go backwards); the scan stops at the limit, so a page of a long journal costs what the page costs.
Status report_events(Context& ctx, const ReportArgs& a, journal::Journal& j, const Horizon& h, int64_t head_seq,
                     Format format) {
  std::set<std::string> kinds;
  const std::vector<std::string_view> known = kind_names();
  for (const std::string& list : a.kinds) {
    std::size_t start = 0;
    while (start <= list.size()) {
      const std::size_t comma = std::min(list.find(',', start), list.size());
      const std::string kind = list.substr(start, comma - start);
      if (std::find(known.begin(), known.end(), kind) == known.end()) {
        std::string names;
        for (const auto k : known) names += (names.empty() ? "" : ", ") + std::string(k);
        return input_error("--kind '" + kind + "' is not an event kind; the kinds are " + names + ".");
      }
      kinds.insert(kind);
      start = comma + 1;
    }
  }
  std::optional<Timestamp> since, until;
  if (a.since) {
    NX_TRY(t, parse_time(*a.since, "--since"));
    since = t;
  }
  if (a.until) {
    NX_TRY(t, parse_time(*a.until, "--until"));
    until = t;
  }
  if (since && until && *since > *until) {
    return input_error("--since " + format_time(*since) + " is after --until " + format_time(*until) +
                       "; give a --since at or before --until.");
  }
  int64_t offset = 0;
  std::optional<int64_t> limit;
  if (a.offset) {
    NX_TRY(n, count_option(*a.offset, "--offset", Sign::non_negative));
    offset = n;
  }
  if (a.limit) {
    NX_TRY(n, count_option(*a.limit, "--limit", Sign::positive));
    limit = n;
  }
  int64_t to = h.seq.value_or(head_seq);
  if (h.at) {
    NX_TRY(last, j.last_seq_at_or_before(*h.at, to));
    if (last == 0) return before_first_event(*h.at);
    to = last;
  }
  if (until) {
    NX_TRY(last, j.last_seq_at_or_before(*until, to));
    to = last;
  }
  NX_TRY_STATUS(j.read_without_map());
  int64_t from = 1;
  if (since) {
    NX_TRY(first, j.first_seq_at_or_after(*since, to));
    from = first;
  }
  // JSON and CSV rows are written as they are read: memory does not grow with the rows printed
  ListStream list("events", events_section(), format, ctx.out());
  int64_t matched = 0, listed = 0;
  if (from <= to) {
    auto ok = j.scan(from, to, [&](const journal::StoredEvent& row) -> Status {
      if (!kinds.empty() && !kinds.count(row.kind)) return {};
      if (matched++ < offset) return {};
      auto ev = journal::decode(row);
      if (!ev) {
        return journal_error("event " + std::to_string(row.seq) + " cannot be decoded (" + ev.error().message +
                             "); run 'nexadex verify'.");
      }
      list.row(event_row(*ev, row.hash));
      if (limit && ++listed >= *limit) return journal::stop_scan();   // read no further
      return {};
    });
    if (!ok) return ok;
  }
  list.finish();
  return {};
}

// `report history`: the state after each event (or after the last event of each --every interval,
// intervals counted from 1970-01-01T00:00:00Z) up to the horizon, as a list or an SVG chart. One
// replay gives every point.
// `columns`: of the journal's state now ([locks]: each tranche's ×1.0 APY; a pool showing its net
// exposure: each market's price and net_usd).
Status report_history(Context& ctx, const Options& o, const ReportArgs& a, journal::Journal& j, const Horizon& h,
                      Format format, const HistoryColumns& columns) {
  if (!a.id.empty()) {
    return input_error("report history takes no '" + a.id + "'; only 'report lp' and 'report position' take one.");
  }
  std::optional<int64_t> every;
  if (a.every) {
    NX_TRY(d, parse_duration(*a.every, "--every"));
    if (d.seconds <= 0) return input_error("--every must be longer than 0s, e.g. --every 1h.");
    every = d.seconds;
  }
  Report report{"history", {history_section(columns)}};
  auto& rows = report.sections[0].rows;
  // Without --svg the rows are written as they come (JSON and CSV keep no row; see ListStream).
  std::optional<ListStream> list;
  if (!a.svg) list.emplace("history", history_section(columns), format, ctx.out());
  NX_TRY_STATUS(j.read_without_map());   // one pass through the events: nothing of them kept resident
  ProgressLine line(ctx, o, "report history", "events");
  NX_TRY(last, j.last_seq());
  const int64_t total = h.seq.value_or(last);
  // a chart of millions of events keeps the points that draw it (ChartPoints)
  ChartPoints points(total);
  const auto add_row = [&](std::vector<Cell> row) {
    if (list) list->row(std::move(row));
    else points.add(std::move(row), rows);
  };
  const auto interval = [&](int64_t at) { return at / *every; };
  auto replayed = j.replay(h.seq, h.at, [&](const State& s, Timestamp next_at) -> Status {
    line.update(s.head_seq, total);
    if (every && interval(s.head_at.seconds) == interval(next_at.seconds)) return {};
    NX_TRY(row, history_row(s, columns));
    add_row(std::move(row));
    return {};
  });
  line.clear();
  if (!replayed) return std::unexpected(replayed.error());
  if (h.at && replayed->second.seq == 0) return before_first_event(*h.at);
  NX_TRY(row, history_row(replayed->first, columns));
  add_row(std::move(row));
  if (list) {
    list->finish();
    return {};
  }
  points.finish(rows);
  // The chart's last point holds until the report's end: --as-of, else the end of its --every
  // interval (with --seq the report ends at that event).
  std::optional<Timestamp> end = h.at;
  if (!end && every && !h.seq) {
    const int128 interval_end = (static_cast<int128>(interval(replayed->first.head_at.seconds)) + 1) * *every;
    end = Timestamp{static_cast<int64_t>(std::min<int128>(interval_end, std::numeric_limits<int64_t>::max()))};
  }
  if (*a.svg == "-") {
    write_history_svg(report.sections[0], end, ctx.out());
    return {};
  }
  std::ofstream file(*a.svg, std::ios::binary | std::ios::trunc);
  if (!file) return input_error("cannot write " + *a.svg + ": " + std::strerror(errno) + "; check the path.");
  write_history_svg(report.sections[0], end, file);
  file.close();
  if (!file) return input_error("cannot write " + *a.svg + ": " + std::strerror(errno) + "; check the disk.");
  return {};
}

// The filter of `report positions`: a configured market, a trader's name, a side, liquidatable, a limit.
Result<PositionFilter> position_filter(const ReportArgs& a, const State& state) {
  PositionFilter f;
  if (a.market) {
    if (!state.config.market(*a.market) && !state.markets.count(*a.market)) {
      return input_error("--market '" + *a.market + "' is not a market of this pool; the markets are " +
                         market_symbols(state.config) + ".");
    }
    f.market = *a.market;
  }
  if (a.trader) f.trader = *a.trader;
  if (a.side) f.side = *a.side == "long" ? Side::long_ : Side::short_;
  f.liquidatable = a.liquidatable;
  if (a.limit) {
    NX_TRY(n, count_option(*a.limit, "--limit", Sign::positive));
    f.limit = n;
  }
  return f;
}

Status show_report(Context& ctx, const Options& o, const ReportArgs& a) {
  NX_TRY(format, ctx.format(o));
  NX_TRY(h, horizon(a));
  if (a.all && a.what != "positions") {
    return input_error("--all goes with 'report positions' only (it adds the closed and liquidated ones).");
  }
  NX_TRY_STATUS(check_report_options(a));
  NX_TRY(now, ctx.time(o));
  return ctx.read(o, [&](journal::Journal& j) -> Status {
    NX_TRY(current, j.load_state());
    const JournalHead last = j.head();
    if (h.seq && *h.seq > last.seq) {
      return input_error("--seq " + std::to_string(*h.seq) + " is past the journal's head seq " +
                         std::to_string(last.seq) + "; give at most " + std::to_string(last.seq) + ".");
    }
    if (a.what == "events") return report_events(ctx, a, j, h, last.seq, format);
    if (a.what == "history") return report_history(ctx, o, a, j, h, format, history_columns(current));
    if (a.every || a.svg) return input_error("--every and --svg go with 'report history' only.");
    State state = std::move(current);
    JournalHead head = last;
    // A report is never dated before the state it shows.
    Timestamp report_at = std::max(now, last.at);
    if (h.seq || h.at) {
      NX_TRY(replayed, j.replay(h.seq, h.at));
      if (replayed.second.seq == 0) return before_first_event(*h.at);
      state = std::move(replayed.first);
      head = replayed.second;
      report_at = h.at ? *h.at : head.at;
    }
    const std::string& what = a.what;
    const bool needs_id = what == "lp" || what == "position";
    if (needs_id && a.id.empty()) {
      return input_error("report " + what + " needs an " + (what == "lp" ? "LP name" : "id") + ", e.g. report " + what +
                         (what == "lp" ? " alice." : " 5."));
    }
    if (!needs_id && !a.id.empty()) {
      return input_error("report " + what + " takes no '" + a.id + "'; only 'report lp' and 'report position' take one.");
    }
    // with [locks], the lots' realized APY over 7 and 30 days compares with the journal replayed then
    std::optional<State> ago7, ago30;
    LotWindows windows;
    if (state.config.locks.enabled && (what == "lps" || what == "lp")) {
      for (const int64_t days : {7, 30}) {
        const Timestamp then{report_at.seconds - days * 86'400};
        if (then.seconds < 0) continue;
        NX_TRY(replayed, j.replay(std::nullopt, then));
        if (replayed.second.seq == 0) continue;
        (days == 7 ? ago7 : ago30) = std::move(replayed.first);
      }
      windows = LotWindows{ago7 ? &*ago7 : nullptr, ago30 ? &*ago30 : nullptr};
    }
    const auto warn_unacknowledged = [&]() -> Status {
      NX_TRY(unacknowledged, state.vault.unacknowledged());
      if (unacknowledged.is_positive()) {
        ctx.err() << "nexadex: warning: " << to_string(unacknowledged)
                  << " of losses could not be absorbed by any layer and nobody has acknowledged them; see 'report "
                     "insurance', then 'nexadex acknowledge'.\n";
      }
      return {};
    };
    if (what == "positions") {
      // its lists' rows are written as they are read (a million positions in a few megabytes): the
      // positions, then with --all their legs, in a second pass over the same positions
      NX_TRY(filter, position_filter(a, state));
      NX_TRY_STATUS(warn_unacknowledged());
      if (!h.seq && !h.at) NX_TRY_STATUS(j.read_without_map());   // one pass: nothing kept resident
      ListStream list("positions", positions_section(), format, ctx.out());
      const auto to_list = [&](std::vector<Cell> row) -> Status {
        list.row(std::move(row));
        return {};
      };
      const Listing listing = a.all ? Listing::all : Listing::open;
      NX_TRY_STATUS(for_each_position_row(state, listing, filter, to_list));
      if (a.all) {
        list.next(positions_legs_section());
        NX_TRY_STATUS(for_each_listed_leg_row(state, listing, filter, to_list));
      }
      list.finish();
      return {};
    }
    Result<Report> report = summary_report(state, head, report_at);
    if (what == "pool") report = pool_report(state, report_at);
    else if (what == "assets") report = assets_report(state, report_at);
    else if (what == "exposure") report = exposure_report(state);
    else if (what == "lps") report = lps_report(state, report_at, windows);
    else if (what == "points") report = points_report(state, report_at);
    else if (what == "tranches") report = tranches_report(state, report_at);
    else if (what == "cascades") report = cascades_report(state);
    else if (what == "lp") report = lp_report(state, a.id, report_at, windows);
    else if (what == "traders") report = traders_report(state);
    else if (what == "insurance") report = insurance_report(state);
    else if (what == "fees") report = fees_report(state);
    else if (what == "position") {
      auto id = parse_decimal(a.id, 0, Sign::positive, "ID");
      if (!id) return input_error("position id '" + a.id + "' is not an id; 'report positions' lists them.");
      report = position_report(state, *id);
    }
    if (!report) return std::unexpected(report.error());
    NX_TRY_STATUS(warn_unacknowledged());
    render(*report, format, ctx.out());
    return {};
  });
}

class ReportCommand final : public CommandWith<ReportArgs> {
 public:
  CLI::App* add(CLI::App& app, Cli& cli) override {
    auto* cmd = app.add_subcommand("report", "Read-only reports of the journal's state");
    one_of(cli,
           cmd->add_option("WHAT", m_args.what,
                           "summary (default), pool, assets, exposure, tranches, lps, lp ID, positions, position ID, traders, "
                           "insurance, fees, cascades, events or history"),
           {"summary", "pool", "assets", "exposure", "tranches", "lps", "lp", "points", "positions", "position", "traders", "insurance", "fees",
            "cascades", "events", "history"});
    cmd->add_option("ID", m_args.id, "The LP of 'report lp' or the position id of 'report position'");
    cmd->add_flag("--all", m_args.all, "With positions: also the closed and liquidated ones");
    auto* as_of = cmd->add_option("--as-of", m_args.as_of, "Show the state as it was at TIME (that time included)")
                      ->type_name("TIME");
    auto* seq = cmd->add_option("--seq", m_args.seq, "Show the state as it was after event N")->type_name("N");
    as_of->excludes(seq);
    cmd->add_option("--every", m_args.every, "With history: one point per interval (the state after its last event)")
        ->type_name("DURATION");
    file(cli,
         cmd->add_option("--svg", m_args.svg, "With history: write the series as an SVG chart to FILE (- for stdout)")
             ->type_name("FILE"));
    cmd->add_option("--kind", m_args.kinds, "With events: only events of these kinds (comma-separated, repeatable)")
        ->type_name("KIND");
    cmd->add_option("--since", m_args.since, "With events: only events at or after TIME")->type_name("TIME");
    cmd->add_option("--until", m_args.until, "With events: only events at or before TIME")->type_name("TIME");
    cmd->add_option("--offset", m_args.offset, "With events: skip the first N events that match")->type_name("N");
    cmd->add_option("--limit", m_args.limit, "With events or positions: list at most N rows")->type_name("N");
    cmd->add_option("--market", m_args.market, "With positions: only those of market M")->type_name("M");
    cmd->add_option("--trader", m_args.trader, "With positions: only those of trader NAME")->type_name("NAME");
    one_of(cli, cmd->add_option("--side", m_args.side, "With positions: only long or only short ones")
                    ->type_name("SIDE"),
           {"long", "short"});
    cmd->add_flag("--liquidatable", m_args.liquidatable,
                  "With positions: only open ones liquidatable at the latest price");
    return cmd;
  }
  Status run(Context& ctx, const Options& o, Cli&) override { return show_report(ctx, o, m_args); }
};

}  // namespace

std::unique_ptr<Command> make_report_command() { return std::make_unique<ReportCommand>(); }

}  // namespace nexadex::cli
