// journal/verify.cpp: `verify`'s named checks, in the spirit of `hledger check`.
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <map>
#include <set>

#include "journal/codec.hpp"
#include "journal/config_toml.hpp"
#include "journal/journal.hpp"
#include "journal/schema.hpp"
#include "lib/vault.hpp"

namespace nexadex::journal {
namespace {

std::string market_text(const MarketState& m) {
  if (!m.priced()) return "never priced";
  return to_string(m.price) + " at " + format_time(m.price_at) + " (seq " + std::to_string(m.price_seq) + ")";
}

// Every difference between the replayed and the stored derived state.
void compare_states(const State& replayed, const State& stored, std::vector<Discrepancy>& out) {
  if (replayed.config_seq != stored.config_seq || replayed.config_sha256 != stored.config_sha256 ||
      replayed.config_text != stored.config_text) {
    out.push_back({0, "state",
                   "the config table holds the config of seq " + std::to_string(stored.config_seq) + " (sha256 " +
                       stored.config_sha256 + ") but the events give seq " + std::to_string(replayed.config_seq) +
                       " (sha256 " + replayed.config_sha256 + ")"});
  }
  if (config_to_json(replayed.config) != config_to_json(stored.config)) {
    out.push_back({0, "state", "the config table's effective config differs from the config the events give"});
  }
  std::map<std::string, std::pair<const MarketState*, const MarketState*>> markets;
  for (const auto& [k, v] : replayed.markets) markets[k].first = &v;
  for (const auto& [k, v] : stored.markets) markets[k].second = &v;
  for (const auto& [sym, pair] : markets) {
    const auto [r, s] = pair;
    if (r && s && *r == *s) continue;
    out.push_back({r ? r->price_seq : 0, "state",
                   "market " + sym + ": the markets table holds " + (s ? market_text(*s) : "no row") +
                       " but the events give " + (r ? market_text(*r) : "no market")});
  }
  if (!(replayed.vault == stored.vault)) {
    out.push_back({0, "state", "the pool table's vault row differs from the vault the events give"});
  }
  if (auto ok = load_all_accounts(stored); !ok) {
    out.push_back({0, "state", "the accounts table cannot be read: " + ok.error().message});
  }
  if (auto ok = load_all_positions(stored); !ok) {
    out.push_back({0, "state", "the positions table cannot be read: " + ok.error().message});
  }
  if (replayed.books != stored.books) {
    out.push_back({0, "state", "the books table differs from the books the events give"});
  }
  std::set<int64_t> position_ids;
  for (const auto& [id, p] : replayed.positions) position_ids.insert(id);
  for (const auto& [id, p] : stored.positions) position_ids.insert(id);
  for (const int64_t id : position_ids) {
    const auto r = replayed.positions.find(id), s = stored.positions.find(id);
    if (r != replayed.positions.end() && s != stored.positions.end() && r->second == s->second) continue;
    out.push_back({id, "state", "position " + std::to_string(id) + ": the positions table " +
                                    (s == stored.positions.end() ? "has no row" : "differs from the events") +
                                    (r == replayed.positions.end() ? " (no event opened it)" : "")});
  }
  std::set<LpKey> lp_keys;
  for (const auto& [k, v] : replayed.lps) lp_keys.insert(k);
  for (const auto& [k, v] : stored.lps) lp_keys.insert(k);
  for (const auto& key : lp_keys) {
    const auto r = replayed.lps.find(key), s = stored.lps.find(key);
    if (r != replayed.lps.end() && s != stored.lps.end() && r->second == s->second) continue;
    out.push_back({0, "state", "LP " + key.lp + " (" + std::string(tranche_name(key.tranche)) +
                                   "): the lps table differs from the events"});
  }
  if (auto losses = all_losses(stored); !losses) {
    out.push_back({0, "state", "the losses table cannot be read: " + losses.error().message});
  } else if (*losses != replayed.losses) {
    std::size_t i = 0;
    while (i < losses->size() && i < replayed.losses.size() && (*losses)[i] == replayed.losses[i]) ++i;
    const int64_t seq = i < replayed.losses.size() ? replayed.losses[i].seq : i < losses->size() ? (*losses)[i].seq : 0;
    out.push_back({seq, "state", "the losses table differs from the losses the events allocate (first at seq " +
                                     std::to_string(seq) + ")"});
  }
  std::map<std::string, std::pair<std::optional<int64_t>, std::optional<int64_t>>> accounts;
  for (const auto& [k, v] : replayed.accounts) accounts[k].first = v;
  for (const auto& [k, v] : stored.accounts) accounts[k].second = v;
  for (const auto& [name, pair] : accounts) {
    if (pair.first.value_or(0) == pair.second.value_or(0)) continue;
    out.push_back({0, "state",
                   "account " + name + ": the accounts table holds " + to_string(Usd(pair.second.value_or(0))) +
                       " but the events give " + to_string(Usd(pair.first.value_or(0)))});
  }
}

}  // namespace

Result<VerifyResult> Journal::verify(const Progress& progress) {
  VerifyResult result;
  std::vector<Discrepancy>& problems = result.problems;
  auto total = event_count();
  if (!total) return std::unexpected(total.error());

  // Stored postings, merged with the events in seq order.
  std::map<int64_t, std::vector<StoredPosting>> stored_postings;
  if (auto ok = scan_postings([&](const StoredPosting& p) -> Status {
        stored_postings[p.seq].push_back(p);
        return {};
      });
      !ok) {
    return std::unexpected(ok.error());
  }
  std::map<std::string, int64_t> posted_balances;
  for (const auto& [seq, legs] : stored_postings) {
    int64_t sum = 0;
    for (const auto& p : legs) {
      sum += p.amount;
      posted_balances[p.account] += p.amount;
    }
    if (sum != 0) {
      problems.push_back({seq, "postings", "the postings of this event sum to " + to_string(Usd(sum)) + ", not zero"});
    }
  }

  State state;
  std::string prev_hash(k_genesis_prev_hash);
  int64_t expected_seq = 1;
  int64_t done = 0;
  auto scanned = scan(1, INT64_MAX, [&](const StoredEvent& row) -> Status {
    if (row.seq != expected_seq) {
      problems.push_back({row.seq, "chain", "seq " + std::to_string(row.seq) + " follows seq " +
                                                std::to_string(expected_seq - 1) + " (events are missing)"});
    }
    if (row.prev_hash != prev_hash) {
      problems.push_back({row.seq, "chain", "prev_hash " + row.prev_hash + " is not the previous event's hash " + prev_hash});
    }
    const std::string recomputed = chain_hash(row.prev_hash, row.seq, row.at, row.kind, row.payload);
    if (recomputed != row.hash) {
      problems.push_back({row.seq, "chain", "stored hash " + row.hash + " but the event hashes to " + recomputed +
                                                " (the event was changed after it was written)"});
    }
    prev_hash = row.hash;
    expected_seq = row.seq + 1;

    auto ev = decode(row);
    bool replayed = false;
    if (!ev) {
      problems.push_back({row.seq, "payload", ev.error().message});
    } else {
      ev->seq = state.head_seq + 1;  // keep replaying past a gap so later events are still checked
      auto postings = apply(state, *ev);
      if (!postings) {
        problems.push_back({row.seq, "replay", "the event cannot be applied: " + postings.error().message});
      } else {
        replayed = true;
        const auto it = stored_postings.find(row.seq);
        const std::size_t stored_n = it == stored_postings.end() ? 0 : it->second.size();
        bool same = stored_n == postings->size();
        for (std::size_t i = 0; same && i < stored_n; ++i) {
          same = it->second[i].account == (*postings)[i].account && it->second[i].amount == (*postings)[i].amount.units();
        }
        if (!same) {
          problems.push_back({row.seq, "postings", "the stored postings (" + std::to_string(stored_n) +
                                                       " legs) differ from those the event implies (" +
                                                       std::to_string(postings->size()) + " legs)"});
        }
        if (it != stored_postings.end()) stored_postings.erase(it);
      }
    }
    if (!replayed) {
      state.head_seq += 1;
      state.head_at = Timestamp{std::max(state.head_at.seconds, row.at)};
    }
    result.head = JournalHead{row.seq, row.hash, Timestamp{row.at}};
    ++done;
    if (progress && done % 65536 == 0) progress(done, *total);
    return {};
  });
  if (!scanned) return std::unexpected(scanned.error());
  result.events = done;
  if (done == 0) problems.push_back({0, "chain", "the journal has no events, not even its journal_created event"});
  for (const auto& [seq, legs] : stored_postings) {
    problems.push_back({seq, "postings", std::to_string(legs.size()) + " postings belong to no replayed event"});
  }

  for (auto& [seq, message] : vault::conservation_problems(state)) problems.push_back({seq, "conservation", message});
  // Derived tables against the replay.
  auto stored = load_state();
  if (!stored) {
    problems.push_back({0, "state", stored.error().message});
  } else {
    compare_states(state, *stored, problems);
    for (const auto& [name, balance] : stored->accounts) {
      const auto it = posted_balances.find(name);
      const int64_t posted = it == posted_balances.end() ? 0 : it->second;
      if (posted != balance) {
        problems.push_back({0, "accounts", "account " + name + " holds " + to_string(Usd(balance)) +
                                               " but its postings sum to " + to_string(Usd(posted))});
      }
    }
    for (const auto& [name, posted] : posted_balances) {
      if (posted != 0 && !stored->accounts.count(name)) {
        problems.push_back({0, "accounts", "account " + name + " is missing from the accounts table; its postings sum to " +
                                               to_string(Usd(posted))});
      }
    }
  }
  for (std::string_view table : k_future_tables) {
    auto n = row_count(table);
    if (!n) return std::unexpected(n.error());
    if (*n != 0) {
      problems.push_back({0, "tables", "table " + std::string(table) + " holds " + std::to_string(*n) +
                                           " rows that no event of this journal produces"});
    }
  }
  if (progress) progress(done, *total);
  std::stable_sort(problems.begin(), problems.end(), [](const Discrepancy& a, const Discrepancy& b) {
    const int64_t ka = a.seq == 0 ? INT64_MAX : a.seq, kb = b.seq == 0 ? INT64_MAX : b.seq;
    return ka < kb;
  });
  return result;
}

}  // namespace nexadex::journal
