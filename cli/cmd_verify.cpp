// cli/cmd_verify.cpp: `verify [--expect-head HASH] [--verbose]`: silent and 0 when all is well.
#include "cli/commands.hpp"

namespace nexadex::cli {

Status cmd_verify(Context& ctx, const Options& o) {
  auto format = ctx.format(o);
  if (!format) return std::unexpected(format.error());
  if (!o.expect_head.empty()) {
    bool hex = o.expect_head.size() == 64;
    for (char c : o.expect_head) hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    if (!hex) {
      return input_error("--expect-head '" + o.expect_head + "' is not a head hash; give the 64 lowercase hex digits "
                         "that 'nexadex verify --verbose' prints.");
    }
  }
  return ctx.read(o, [&](journal::Journal& j) -> Status {
    const bool show_progress = ctx.env().stderr_is_terminal;
    bool printed = false;
    auto progress = [&](int64_t done, int64_t total) {
      if (!show_progress || total < 200'000) return;
      ctx.err() << "\rverify: " << done << " / " << total << " events" << std::flush;
      printed = true;
    };
    auto result = j.verify(progress);
    if (printed) ctx.err() << '\n';
    if (!result) return std::unexpected(result.error());
    auto& problems = result->problems;
    if (!o.expect_head.empty() && o.expect_head != result->head.hash) {
      problems.push_back({result->head.seq, "head",
                          "the head hash is " + result->head.hash + " but --expect-head gives " + o.expect_head});
    }
    if (problems.empty()) {
      if (o.verbose) {
        Section s{"verify", "Journal verified", SectionShape::record,
                  {{"events", CellType::integer},
                   {"head_seq", CellType::integer},
                   {"head_hash", CellType::hash},
                   {"head_at", CellType::time}},
                  {}};
        s.rows.push_back({Cell::of_int(result->events), Cell::of_int(result->head.seq), Cell::of_hash(result->head.hash),
                          Cell::of_time(result->head.at)});
        render(Report{"verify", {std::move(s)}}, *format, ctx.out());
      }
      return {};
    }
    // The first finding is the earliest cause; the rest (--verbose) follow from it or stand beside it.
    Section s{"discrepancies", "Discrepancies", SectionShape::list,
              {{"seq", CellType::integer}, {"check", CellType::text}, {"message", CellType::text}},
              {}};
    const std::size_t shown = o.verbose ? problems.size() : 1;
    for (std::size_t i = 0; i < shown; ++i) {
      const auto& p = problems[i];
      s.rows.push_back({p.seq ? Cell::of_int(p.seq) : Cell::none(CellType::integer), Cell::of_text(p.check),
                        Cell::of_text(p.message)});
    }
    render(Report{"verify", {std::move(s)}}, *format, ctx.out());
    const auto& first = problems.front();
    const std::size_t n = problems.size();
    const std::string count = std::to_string(n) + " discrepanc" + (n == 1 ? "y" : "ies");
    const std::string rest = n > 1 && !o.verbose ? "; 'nexadex verify --verbose' lists all " + std::to_string(n) : "";
    if (n == 1 && first.check == "head") {
      return discrepancy_error(count + ", the first at seq " + std::to_string(first.seq) +
                               " (head); the journal is intact but does not end where --expect-head says, so check that "
                               "it is the journal you meant and that no events were added or are missing.");
    }
    if (first.check == "structure") {
      return discrepancy_error(count + ", the first in the file's structure (SQLite's integrity check): the file is "
                               "damaged, so restore it from a trusted copy" + rest + ".");
    }
    return discrepancy_error(count + (first.seq ? ", the first at seq " + std::to_string(first.seq) + " (" + first.check + ")"
                                                : " (" + first.check + ")") +
                             "; do not trust this journal from that seq on, and restore it from a trusted copy" + rest +
                             ".");
  });
}

}  // namespace nexadex::cli
