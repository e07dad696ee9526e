// cli/write.cpp: a write command's transaction, then its printed result and the unabsorbed-loss warning.
#include "cli/write.hpp"

#include <optional>

namespace nexadex::cli {
namespace {

void warn_unabsorbed(Context& ctx, Usd newly) {
  if (!newly.is_positive()) return;
  ctx.err() << "nexadex: warning: a loss of " << to_string(newly)
            << " could not be absorbed by insurance or the LPs; it is journaled as unabsorbed and shown in every report.\n";
}

}  // namespace

Status Appended::add(journal::Journal& j, EventBody body, Timestamp at) {
  // A price that leaves the pool beyond what its books can value would leave every report, close and
  // liquidation unable to run: refused (the command's transaction is rolled back).
  std::optional<PriceSet> price;
  if (const auto* p = std::get_if<PriceSet>(&body)) price = *p;
  if (!keep) {
    NX_TRY_STATUS(j.append(std::move(body), at));
  } else {
    AppliedEvent a{Event{0, at, body}, {}, {}};
    NX_TRY(seq, j.append(std::move(body), at, &a.outcome));
    a.event.seq = seq;
    a.hash = j.head().hash;
    applied.push_back(std::move(a));
  }
  if (price && j.state().unvalued) {
    return input_error("a " + price->market + " price of " + to_string(price->price) +
                       " USD is so far from the open positions' entry prices that the pool's value no longer fits "
                       "the books' arithmetic; check the price (nothing was written).");
  }
  // what the rules journal on their own after it (a wiped tranche's reset), at the same time
  NX_TRY(more, follow_up_events(j.state()));
  for (auto& next : more) {
    if (auto ok = add(j, std::move(next), at); !ok) return ok;
  }
  return {};
}

Status write_events(Context& ctx, const Options& o, const std::string& command, const AppendEvents& append) {
  NX_TRY(format, ctx.format(o));
  return write_events(ctx, o, format, append,
                      [&](const Appended& appended) { return outcome_report(command, appended.applied); });
}

Status write_events(Context& ctx, const Options& o, Format format, const AppendEvents& append,
                    const std::function<Result<Report>(const Appended&)>& summarise) {
  Appended appended(o);
  // Only a close, a liquidation or a journaled loss can leave a loss unabsorbed; the others leave
  // it as it was and warn of nothing.
  Usd newly_unabsorbed(0);
  std::optional<Report> report;
  auto ok = ctx.write(o, [&](journal::Journal& j, Timestamp at) -> Status {
    const Usd before = j.state().vault.unabsorbed;
    NX_TRY_STATUS(append(j, at, appended));
    NX_TRY(newly, j.state().vault.unabsorbed - before);
    newly_unabsorbed = newly;
    // built before the commit, so that a summary that cannot be built writes nothing
    if (appended.keep) {
      NX_TRY(built, summarise(appended));
      report = std::move(built);
    }
    return {};
  });
  if (!ok) return ok;
  if (report) render(*report, format, ctx.out());
  warn_unabsorbed(ctx, newly_unabsorbed);
  return {};
}

}  // namespace nexadex::cli
