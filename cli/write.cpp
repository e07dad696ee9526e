// cli/write.cpp: a write command's transaction, then its printed result and the unabsorbed-loss warning.
#include "cli/write.hpp"

namespace nexadex::cli {
namespace {

void warn_unabsorbed(Context& ctx, Usd before, Usd after) {
  if (after <= before) return;
  ctx.err() << "nexadex: warning: a loss of " << to_string(Usd(after.units() - before.units()))
            << " could not be absorbed by insurance or the LPs; it is journaled as unabsorbed and shown in every report.\n";
}

}  // namespace

Status Appended::add(journal::Journal& j, EventBody body, Timestamp at) {
  if (!keep) {
    NX_TRY_STATUS(j.append(std::move(body), at));
  } else {
    AppliedEvent a{Event{0, at, body}, {}, {}};
    NX_TRY(seq, j.append(std::move(body), at, &a.outcome));
    a.event.seq = seq;
    a.hash = j.head().hash;
    applied.push_back(std::move(a));
  }
  // what the rules journal on their own after it (a wiped tranche's reset), at the same time
  NX_TRY(more, follow_up_events(j.state()));
  for (auto& next : more) {
    if (auto ok = add(j, std::move(next), at); !ok) return ok;
  }
  return {};
}

Status write_events(Context& ctx, const Options& o, const std::string& command, const AppendEvents& append) {
  return write_events(ctx, o, append, [&](const Appended& appended) {
    auto format = ctx.format(o);
    render(outcome_report(command, appended.applied), format ? *format : Format::table, ctx.out());
  });
}

Status write_events(Context& ctx, const Options& o, const AppendEvents& append,
                    const std::function<void(const Appended&)>& print) {
  Appended appended(o);
  // Only a close, a liquidation or a journaled loss can leave a loss unabsorbed; the others leave
  // these equal and warn of nothing.
  Usd unabsorbed_before(0), unabsorbed_after(0);
  auto ok = ctx.write(o, [&](journal::Journal& j, Timestamp at) -> Status {
    unabsorbed_before = j.state().vault.unabsorbed;
    if (auto added = append(j, at, appended); !added) return added;
    unabsorbed_after = j.state().vault.unabsorbed;
    return {};
  });
  if (!ok) return ok;
  if (appended.keep) print(appended);
  warn_unabsorbed(ctx, unabsorbed_before, unabsorbed_after);
  return {};
}

}  // namespace nexadex::cli
