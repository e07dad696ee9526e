// journal/state_tables.cpp: the derived state tables as a whole: the config, markets, vault (one JSON
// row of the pool table), LPs and books read into the State, and every changed row written back.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "journal/config_toml.hpp"
#include "journal/session.hpp"
#include "lib/asset_books.hpp"
#include "lib/vault.hpp"

namespace nexadex::journal {
namespace {

using nlohmann::json;

json fee_json(const FeeTotals& f) {
  return {{"charged", f.charged.units()}, {"forgone", f.forgone.units()}, {"to_lps", f.to_lps.units()},
          {"to_insurance", f.to_insurance.units()}, {"to_treasury", f.to_treasury.units()}};
}

// The vault's scalars as one JSON row of the pool table (micro-units as integers, 128-bit as text).
std::string vault_to_json(const Vault& v) {
  json fees = json::object();
  for (const auto& [k, f] : v.fees) fees[k] = fee_json(f);
  json cover = json::object();
  for (const auto& [k, c] : v.cover_today) cover[k] = {{"day", c.day}, {"cap", c.cap.units()}, {"used", c.used.units()}};
  json tranches = json::array();
  for (const Tranche& t : v.tranches) {
    json absorbed = json::object();
    for (const auto& [k, a] : t.absorbed) absorbed[k] = a.units();
    json daily = json::array();
    for (const auto& [day, price] : t.daily) daily.push_back(json::array({day, format_int128(price.units())}));
    tranches.push_back({{"capital", t.capital.units()},
                        {"supply", t.supply.units()},
                        {"unpaid_target", t.unpaid_target.units()},
                        {"accrual_remainder", format_int128(t.accrual_remainder)},
                        {"gains", t.gains.units()},
                        {"absorbed", absorbed},
                        {"resets", t.resets},
                        {"since", t.since.seconds},
                        {"daily", daily}});
    // with [locks] only (DESIGN-risk §7); a pool without lots keeps the row it always had
    const bool locks = t.compounding != Tranche::ByWeight{} || t.claiming != Tranche::ByWeight{} ||
                       !t.pending.is_zero() || !t.unassigned.is_zero() || !t.weighted_income.is_zero();
    if (locks) {
      json& tj = tranches.back();
      for (const auto& [name, bw] : {std::pair{"compounding", &t.compounding}, std::pair{"claiming", &t.claiming}}) {
        tj[name] = {{"weight", format_int128(bw->weight)}, {"reward", format_int128(bw->reward)},
                    {"carry", format_int128(bw->carry)}};
      }
      tj["pending"] = t.pending.units();
      tj["unassigned"] = t.unassigned.units();
      tj["weighted_income"] = t.weighted_income.units();
    }
  }
  return json{{"tranches", tranches},
              {"insurance", v.insurance.units()},
              {"treasury", v.treasury.units()},
              {"reserved", v.reserved.units()},
              {"open_interest_long", v.open_interest_long.units()},
              {"open_interest_short", v.open_interest_short.units()},
              {"borrow_index", format_int128(v.borrow_index.units())},
              {"index_at", v.index_at.seconds},
              {"utilization_bps", v.utilization_bps.value},
              {"unabsorbed", v.unabsorbed.units()},
              {"acknowledged", v.acknowledged.units()},
              {"insurance_paid", v.insurance_paid.units()},
              {"fees", fees},
              {"cover_today", cover}}
      .dump();
}

Result<Vault> vault_from_json(const std::string& text) {
  try {
    const json j = json::parse(text);
    Vault v;
    auto usd = [&](const char* k) { return Usd(j.at(k).get<int64_t>()); };
    const json& ts = j.at("tranches");
    if (!ts.is_array() || ts.size() != 2) return journal_error("the vault row of the pool table is damaged (tranches).");
    for (std::size_t i = 0; i < 2; ++i) {
      const json& tj = ts.at(i);
      Tranche& t = v.tranches[i];
      t.capital = Usd(tj.at("capital").get<int64_t>());
      t.supply = Shares(tj.at("supply").get<int64_t>());
      t.unpaid_target = Usd(tj.at("unpaid_target").get<int64_t>());
      NX_TRY(rem, parse_int128(tj.at("accrual_remainder").get<std::string>(), "accrual_remainder"));
      t.accrual_remainder = rem;
      t.gains = Usd(tj.at("gains").get<int64_t>());
      for (const auto& [k, a] : tj.at("absorbed").items()) t.absorbed[k] = Usd(a.get<int64_t>());
      t.resets = tj.at("resets").get<int64_t>();
      t.since = Timestamp{tj.at("since").get<int64_t>()};
      for (const auto& [name, bw] : {std::pair{"compounding", &t.compounding}, std::pair{"claiming", &t.claiming}}) {
        if (!tj.contains(name)) continue;
        const json& b = tj.at(name);
        NX_TRY(weight, parse_int128(b.at("weight").get<std::string>(), "weight"));
        NX_TRY(reward, parse_int128(b.at("reward").get<std::string>(), "reward"));
        NX_TRY(carry, parse_int128(b.at("carry").get<std::string>(), "carry"));
        *bw = Tranche::ByWeight{weight, reward, carry};
      }
      t.pending = Shares(tj.value("pending", int64_t{0}));
      t.unassigned = Usd(tj.value("unassigned", int64_t{0}));
      t.weighted_income = Usd(tj.value("weighted_income", int64_t{0}));
      for (const auto& d : tj.at("daily")) {
        NX_TRY(price, parse_int128(d.at(1).get<std::string>(), "daily price"));
        t.daily.emplace_back(d.at(0).get<int64_t>(), SharePrice(price));
      }
    }
    v.insurance = usd("insurance");
    v.treasury = usd("treasury");
    v.reserved = usd("reserved");
    v.open_interest_long = usd("open_interest_long");
    v.open_interest_short = usd("open_interest_short");
    NX_TRY(idx, parse_int128(j.at("borrow_index").get<std::string>(), "borrow_index"));
    v.borrow_index = BorrowIndex(idx);
    v.index_at = Timestamp{j.at("index_at").get<int64_t>()};
    v.utilization_bps = Bps{j.at("utilization_bps").get<int64_t>()};
    v.unabsorbed = usd("unabsorbed");
    // journals written before `acknowledge` existed have no such key: nothing was acknowledged
    v.acknowledged = Usd(j.value("acknowledged", int64_t{0}));
    v.insurance_paid = usd("insurance_paid");
    for (const auto& [k, f] : j.at("fees").items()) {
      v.fees[k] = FeeTotals{Usd(f.at("charged").get<int64_t>()), Usd(f.at("forgone").get<int64_t>()),
                            Usd(f.at("to_lps").get<int64_t>()), Usd(f.at("to_insurance").get<int64_t>()),
                            Usd(f.at("to_treasury").get<int64_t>())};
    }
    for (const auto& [k, c] : j.at("cover_today").items()) {
      v.cover_today[k] = Vault::DailyCover{c.at("day").get<int64_t>(), Usd(c.at("cap").get<int64_t>()),
                                           Usd(c.at("used").get<int64_t>())};
    }
    return v;
  } catch (const std::exception& e) {
    return journal_error(std::string("the vault row of the pool table is damaged (") + e.what() + ").");
  }
}

const char* status_name(PositionStatus s) {
  return s == PositionStatus::open ? "open" : s == PositionStatus::closed ? "closed" : "liquidated";
}

std::string buckets_to_json(const Book& b) {
  json a = json::array();
  for (const auto& [bucket, n] : b.buckets) a.push_back({bucket, n});
  return a.dump();
}

// What no event can write in an assets row and no rule can read, in words ("" when nothing is): a
// negative amount or price. Any other difference from the replay is left for verify to describe.
std::string damaged_asset_row(const AssetBook& b, const assets::AssetPrices& p, int64_t book) {
  const std::pair<const char*, int64_t> amounts[] = {{"held", b.held},           {"owned", b.owned},
                                                     {"reserved", b.reserved},   {"collateral", b.collateral},
                                                     {"insurance", b.insurance}, {"treasury", b.treasury},
                                                     {"book", book}};
  for (const auto& [name, v] : amounts) {
    if (v < 0) return std::string("holds a negative ") + name + " (" + std::to_string(v) + ")";
  }
  if (p.low.is_negative() || p.mid.is_negative() || p.high.is_negative()) return "holds a negative price";
  return "";
}

}  // namespace

Result<State> read_state_tables(SQLite::Database& db, const std::string& path, TableLoader& loader) {
  State s;
  {
    SQLite::Statement q(db, "SELECT seq, sha256, text, effective, rules FROM config WHERE id = 1");
    if (!q.executeStep()) return journal_error("the journal " + path + " has no config row; it is damaged.");
    s.config_seq = q.getColumn(0).getInt64();
    s.config_sha256 = q.getColumn(1).getString();
    s.config_text = q.getColumn(2).getString();
    s.rules = q.getColumn(4).getInt64();
    // The parsed config is cached as JSON: parsing TOML is most of a single command's own work.
    auto c = config_from_json(q.getColumn(3).getString());
    if (!c) return journal_error("the config stored in " + path + " does not parse (" + c.error().message + ").");
    s.config = std::move(*c);
  }
  {
    SQLite::Statement q(db, "SELECT symbol, price, price_at, price_seq FROM markets");
    while (q.executeStep()) {
      s.markets[q.getColumn(0).getString()] = MarketState{Price(q.getColumn(1).getInt64()),
                                                          Timestamp{q.getColumn(2).getInt64()},
                                                          q.getColumn(3).getInt64()};
    }
  }
  s.store.accounts_complete = false;   // read one by one as events post to them (State::loader)
  {
    SQLite::Statement q(db, "SELECT value FROM pool WHERE key = 'vault'");
    if (q.executeStep()) {
      NX_TRY(v, vault_from_json(q.getColumn(0).getString()));
      s.vault = std::move(v);
    }
  }
  if (!s.config.assets.empty()) {
    // a multi-asset pool's books (schema 7): one row per asset, in file order, with its prices; the
    // running sums are recomputed. A row that is not what the replay gives (a book value that is not
    // the balance at the low price, a price that is not the market's) stays as stored, for verify.
    NX_TRY(pool, assets::make_pool(s.config.assets));
    SQLite::Statement q(db, "SELECT symbol, held, owned, reserved, collateral, insurance, treasury, book, mid, low, "
                            "high, borrow_index, utilization_bps, collateral_usd FROM assets ORDER BY position");
    std::size_t i = 0;
    bool extra = false;
    for (; q.executeStep(); ++i) {
      if (i >= pool.configs.size() || q.getColumn(0).getString() != pool.configs[i].symbol) {
        extra = true;
        break;
      }
      AssetBook b;
      b.held = q.getColumn(1).getInt64();
      b.owned = q.getColumn(2).getInt64();
      b.reserved = q.getColumn(3).getInt64();
      b.collateral = q.getColumn(4).getInt64();
      b.insurance = q.getColumn(5).getInt64();
      b.treasury = q.getColumn(6).getInt64();
      NX_TRY(index, parse_int128(q.getColumn(11).getString(), "borrow_index"));
      b.borrow_index = BorrowIndex(index);
      b.utilization_bps = Bps{q.getColumn(12).getInt64()};
      b.collateral_usd = Usd(q.getColumn(13).getInt64());
      pool.prices[i] = assets::AssetPrices{Price(q.getColumn(8).getInt64()), Price(q.getColumn(9).getInt64()),
                                           Price(q.getColumn(10).getInt64())};
      // what no event can write: the rules cannot run on it (verify lists how it differs from the replay)
      if (const std::string bad = damaged_asset_row(b, pool.prices[i], q.getColumn(7).getInt64()); !bad.empty()) {
        return journal_error("the assets table of " + path + " is damaged: the " + pool.configs[i].symbol + " row " +
                             bad + "; run 'nexadex verify' and restore the journal from a copy.");
      }
      NX_TRY_STATUS(assets::set_books(pool, i, b));
      pool.books[i].book = Usd(q.getColumn(7).getInt64());
    }
    if (i != pool.configs.size() || extra) {
      return journal_error("the assets table of " + path + " does not hold one row per asset of its config; it is "
                           "damaged.");
    }
    s.assets = std::move(pool);
  }
  {
    SQLite::Statement q(db, "SELECT lp, tranche, shares, deposited, withdrawn, cancelled FROM lps");
    while (q.executeStep()) {
      const LpKey key{q.getColumn(0).getString(),
                      q.getColumn(1).getString() == "junior" ? TrancheId::junior : TrancheId::senior};
      NX_TRY(cancelled, parse_int128(q.getColumn(5).getString(), "an LP's cancelled shares"));
      s.lps[key] = LpHolding{Shares(q.getColumn(2).getInt64()), Usd(q.getColumn(3).getInt64()),
                             Usd(q.getColumn(4).getInt64()), WideShares(cancelled)};
    }
  }
  {
    // lots are read when a rule or report needs them (lib/locks.hpp), never all at once here
    SQLite::Statement q(db, "SELECT coalesce(max(id), 0) FROM lots");
    s.lots.next_id = q.executeStep() ? q.getColumn(0).getInt64() + 1 : 1;
    s.lots.complete = false;
  }
  {
    SQLite::Statement q(db, "SELECT market, side, open, size, quantity, buckets, fine_hi, fine_lo, entry_sum, "
                            "entry_sq FROM books");
    while (q.executeStep()) {
      const BookKey key{q.getColumn(0).getString(), q.getColumn(1).getString() == "short" ? Side::short_ : Side::long_};
      Book b;
      b.open = q.getColumn(2).getInt64();
      auto size = parse_int128(q.getColumn(3).getString(), "size");
      auto qty = parse_int128(q.getColumn(4).getString(), "quantity");
      auto hi = parse_int128(q.getColumn(6).getString(), "fine_hi");
      auto lo = parse_int128(q.getColumn(7).getString(), "fine_lo");
      auto esum = parse_int128(q.getColumn(8).getString(), "entry_sum");
      auto esq = parse_int128(q.getColumn(9).getString(), "entry_sq");
      if (!size || !qty || !hi || !lo || !esum || !esq) {
        return journal_error("the books table of " + path + " is damaged.");
      }
      b.size = *size, b.quantity = *qty;
      b.fine_hi = *hi, b.fine_lo = *lo, b.entry_sum = *esum, b.entry_sq = *esq;
      try {
        for (const auto& pair : json::parse(q.getColumn(5).getString())) {
          b.buckets[pair.at(0).get<int64_t>()] = pair.at(1).get<int64_t>();
        }
      } catch (const std::exception&) {
        return journal_error("the books table of " + path + " is damaged.");
      }
      s.books[key] = std::move(b);
    }
  }
  // Positions are read when a command needs them (State::loader), never all at once here.
  s.store.loader = &loader;
  s.store.positions_complete = false;
  return s;
}

Status Journal::Impl::load_state_tables() {
  NX_TRY(s, read_state_tables(db, path, positions));
  NX_TRY_STATUS(load_head());
  s.head_seq = head.seq;
  s.head_at = head.at;
  state = std::move(s);
  return {};
}

Status Journal::Impl::write_state_rows() {
  // in name order, so that the same events write the same table whatever the hash order
  std::vector<const std::string*> dirty_accounts;
  dirty_accounts.reserve(state.store.dirty_accounts.size());
  for (const auto& acct : state.store.dirty_accounts) dirty_accounts.push_back(&acct);
  std::sort(dirty_accounts.begin(), dirty_accounts.end(), [](const auto* a, const auto* b) { return *a < *b; });
  std::vector<std::pair<const std::string*, Usd>> balances;
  for (const std::string* name : dirty_accounts) {
    const std::string& acct = *name;
    auto balance = narrow(state.accounts.at(acct), "account " + acct);
    if (!balance) {
      // the amounts given add up past the table's range: bad input, not a damaged journal
      return input_error("account " + acct + " would hold " + to_string(state.accounts.at(acct)) +
                         ", beyond the accounts table's 64 bits; nothing was written: use a smaller amount, or "
                         "another name for the trader, LP or funder.");
    }
    balances.emplace_back(&acct, *balance);
  }
  if (state.store.dirty_config) {
    SQLite::Statement q(db, "INSERT OR REPLACE INTO config (id, seq, sha256, text, effective, rules) "
                            "VALUES (1, ?, ?, ?, ?, ?)");
    q.bind(1, static_cast<int64_t>(state.config_seq));
    q.bind(2, state.config_sha256);
    q.bind(3, state.config_text);
    q.bind(4, config_to_json(state.config).dump());
    q.bind(5, static_cast<int64_t>(state.rules));
    q.exec();
    state.store.dirty_config = false;
  }
  if (!state.store.dirty_markets.empty()) {
    SQLite::Statement q(db, "INSERT OR REPLACE INTO markets (symbol, price, price_at, price_seq) VALUES (?, ?, ?, ?)");
    for (const auto& sym : state.store.dirty_markets) {
      const auto& m = state.markets.at(sym);
      q.bind(1, sym);
      q.bind(2, static_cast<int64_t>(m.price.units()));
      q.bind(3, static_cast<int64_t>(m.price_at.seconds));
      q.bind(4, static_cast<int64_t>(m.price_seq));
      q.exec();
      q.reset();
    }
    state.store.dirty_markets.clear();
  }
  if (!state.store.dirty_accounts.empty()) {
    SQLite::Statement q(db, "INSERT OR REPLACE INTO accounts (account, balance) VALUES (?, ?)");
    for (const auto& [acct, balance] : balances) {
      q.bind(1, *acct);
      q.bind(2, static_cast<int64_t>(balance.units()));
      q.exec();
      q.reset();
    }
    state.store.dirty_accounts.clear();
  }
  if (state.store.dirty_vault) {
    SQLite::Statement q(db, "INSERT OR REPLACE INTO pool (key, value) VALUES ('vault', ?)");
    q.bind(1, vault_to_json(state.vault));
    q.exec();
    state.store.dirty_vault = false;
  }
  if (state.store.dirty_assets) {
    if (state.assets) {
      const auto& pool = *state.assets;
      SQLite::Statement q(db, "INSERT OR REPLACE INTO assets (symbol, position, held, owned, reserved, collateral, "
                              "insurance, treasury, book, mid, low, high, borrow_index, utilization_bps, collateral_usd) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
      for (std::size_t i = 0; i < pool.configs.size(); ++i) {
        const auto& b = pool.books[i];
        const auto& p = pool.prices[i];
        q.bind(1, pool.configs[i].symbol);
        q.bind(2, static_cast<int64_t>(i));
        q.bind(3, static_cast<int64_t>(b.held));
        q.bind(4, static_cast<int64_t>(b.owned));
        q.bind(5, static_cast<int64_t>(b.reserved));
        q.bind(6, static_cast<int64_t>(b.collateral));
        q.bind(7, static_cast<int64_t>(b.insurance));
        q.bind(8, static_cast<int64_t>(b.treasury));
        q.bind(9, static_cast<int64_t>(b.book.units()));
        q.bind(10, static_cast<int64_t>(p.mid.units()));
        q.bind(11, static_cast<int64_t>(p.low.units()));
        q.bind(12, static_cast<int64_t>(p.high.units()));
        q.bind(13, format_int128(b.borrow_index.units()));
        q.bind(14, static_cast<int64_t>(b.utilization_bps.value));
        q.bind(15, static_cast<int64_t>(b.collateral_usd.units()));
        q.exec();
        q.reset();
      }
    }
    state.store.dirty_assets = false;
  }
  if (!state.store.dirty_lps.empty()) {
    SQLite::Statement q(db,
                        "INSERT OR REPLACE INTO lps (lp, tranche, shares, deposited, withdrawn, cancelled) "
                        "VALUES (?, ?, ?, ?, ?, ?)");
    for (const auto& key : state.store.dirty_lps) {
      const auto& h = state.lps.at(key);
      q.bind(1, key.lp);
      q.bind(2, std::string(tranche_name(key.tranche)));
      q.bind(3, static_cast<int64_t>(h.shares.units()));
      q.bind(4, static_cast<int64_t>(h.deposited.units()));
      q.bind(5, static_cast<int64_t>(h.withdrawn.units()));
      q.bind(6, format_int128(h.cancelled.units()));
      q.exec();
      q.reset();
    }
    state.store.dirty_lps.clear();
  }
  if (!state.store.dirty_lots.empty()) {
    SQLite::Statement q(db,
                        "INSERT OR REPLACE INTO lots (id, lp, tranche, created, deposited, shares, lock_until, unlocked, "
                        "boost_bps, compound, reward_checkpoint, points, points_at, compounded, claimable, claimed, "
                        "withdrawn, paid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const int64_t id : state.store.dirty_lots) {
      const Lot& lot = state.lots.all.at(id);
      q.bind(1, static_cast<int64_t>(lot.id));
      q.bind(2, lot.lp);
      q.bind(3, std::string(tranche_name(lot.tranche)));
      q.bind(4, static_cast<int64_t>(lot.created.seconds));
      q.bind(5, static_cast<int64_t>(lot.deposited.units()));
      q.bind(6, static_cast<int64_t>(lot.shares.units()));
      q.bind(7, static_cast<int64_t>(lot.lock_until.seconds));
      q.bind(8, static_cast<int64_t>(lot.unlocked ? 1 : 0));
      q.bind(9, static_cast<int64_t>(lot.lock_boost.value));
      q.bind(10, static_cast<int64_t>(lot.compound ? 1 : 0));
      q.bind(11, format_int128(lot.checkpoint));
      q.bind(12, format_int128(lot.points));
      q.bind(13, static_cast<int64_t>(lot.points_at.seconds));
      q.bind(14, static_cast<int64_t>(lot.compounded.units()));
      q.bind(15, static_cast<int64_t>(lot.claimable.units()));
      q.bind(16, static_cast<int64_t>(lot.claimed.units()));
      q.bind(17, static_cast<int64_t>(lot.withdrawn.units()));
      q.bind(18, static_cast<int64_t>(lot.paid.units()));
      q.exec();
      q.reset();
    }
    state.store.dirty_lots.clear();
  }
  if (state.store.losses_written < state.losses.size()) {
    SQLite::Statement q(db,
                        "INSERT INTO losses (seq, leg, at, kind, market, layer, amount, junior_cancelled) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    for (std::size_t i = state.store.losses_written; i < state.losses.size(); ++i) {
      const LossRecord& r = state.losses[i];
      // leg 0 is the loss itself (layer 'total'); then one row per layer that took a part
      for (std::size_t leg = 0; leg <= r.legs.size(); ++leg) {
        q.bind(1, static_cast<int64_t>(r.seq));
        q.bind(2, static_cast<int64_t>(leg));
        q.bind(3, static_cast<int64_t>(r.at.seconds));
        q.bind(4, r.kind);
        q.bind(5, r.market);
        q.bind(6, leg == 0 ? std::string("total") : r.legs[leg - 1].layer);
        q.bind(7, static_cast<int64_t>(leg == 0 ? r.total.units() : r.legs[leg - 1].amount.units()));
        q.bind(8, static_cast<int64_t>(leg == 0 ? r.junior_cancelled.units() : 0));
        q.exec();
        q.reset();
      }
    }
    state.store.losses_written = state.losses.size();
  }
  if (state.store.legs_written < state.legs.size()) {
    SQLite::Statement q(db,
                        "INSERT INTO position_legs (id, seq, at, kind, size, price, collateral, pnl, open_fee, close_fee, "
                        "borrow_fee, keeper_fee, payout) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (std::size_t i = state.store.legs_written; i < state.legs.size(); ++i) {
      const PositionLeg& l = state.legs[i];
      q.bind(1, static_cast<int64_t>(l.id));
      q.bind(2, static_cast<int64_t>(l.seq));
      q.bind(3, static_cast<int64_t>(l.at.seconds));
      q.bind(4, std::string(leg_kind_name(l.kind)));
      q.bind(5, static_cast<int64_t>(l.size.units()));
      q.bind(6, static_cast<int64_t>(l.price.units()));
      q.bind(7, static_cast<int64_t>(l.collateral.units()));
      q.bind(8, l.pnl.units());
      q.bind(9, static_cast<int64_t>(l.open_fee.units()));
      q.bind(10, static_cast<int64_t>(l.close_fee.units()));
      q.bind(11, static_cast<int64_t>(l.borrow_fee.units()));
      q.bind(12, static_cast<int64_t>(l.keeper_fee.units()));
      q.bind(13, static_cast<int64_t>(l.payout.units()));
      q.exec();
      q.reset();
    }
    state.store.legs_written = state.legs.size();
  }
  if (!state.store.dirty_positions.empty()) {
    SQLite::Statement q(db,
                        "INSERT OR REPLACE INTO positions (id, trader, market, side, size, collateral, entry_price, "
                        "reserve, borrow_index_open, borrow_carried, opened_at, liquidation_price, status, ended_seq, "
                        "quantity, key_below, key_above, liq_bucket, key_liq, key_dead, reserve_asset, collateral_asset, "
                        "collateral_tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const int64_t id : state.store.dirty_positions) {
      const Position& p = state.positions.at(id);
      auto liq = p.status == PositionStatus::open ? vault::liquidation_price(state, p) : Result<Price>(Price(0));
      q.bind(1, static_cast<int64_t>(p.id));
      q.bind(2, p.trader);
      q.bind(3, p.market);
      q.bind(4, std::string(side_name(p.side)));
      q.bind(5, static_cast<int64_t>(p.size.units()));
      q.bind(6, static_cast<int64_t>(p.collateral.units()));
      q.bind(7, static_cast<int64_t>(p.entry.units()));
      q.bind(8, static_cast<int64_t>(p.reserve.units()));
      q.bind(9, format_int128(p.borrow_index_open.units()));
      q.bind(10, static_cast<int64_t>(p.borrow_carried.units()));
      q.bind(11, static_cast<int64_t>(p.opened_at.seconds));
      q.bind(12, static_cast<int64_t>(liq ? liq->units() : 0));
      q.bind(13, std::string(status_name(p.status)));
      if (p.ended_seq) q.bind(14, static_cast<int64_t>(p.ended_seq));
      else q.bind(14);
      q.bind(15, format_int128(p.keys.quantity));
      q.bind(16, static_cast<int64_t>(p.keys.below));
      q.bind(17, static_cast<int64_t>(p.keys.above));
      q.bind(18, static_cast<int64_t>(p.keys.bucket));
      q.bind(19, static_cast<int64_t>(p.keys.liq));
      q.bind(20, static_cast<int64_t>(p.keys.dead));
      q.bind(21, p.reserve_asset);
      q.bind(22, p.collateral_asset);
      q.bind(23, static_cast<int64_t>(p.collateral_tokens));
      q.exec();
      q.reset();
    }
    state.store.dirty_positions.clear();
  }
  if (!state.store.dirty_books.empty()) {
    SQLite::Statement put(db,
                          "INSERT OR REPLACE INTO books (market, side, open, size, quantity, buckets, fine_hi, "
                          "fine_lo, entry_sum, entry_sq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    SQLite::Statement drop(db, "DELETE FROM books WHERE market = ? AND side = ?");
    for (const BookKey& key : state.store.dirty_books) {
      const auto it = state.books.find(key);
      SQLite::Statement& q = it == state.books.end() ? drop : put;
      q.bind(1, key.market);
      q.bind(2, std::string(side_name(key.side)));
      if (it != state.books.end()) {
        const Book& b = it->second;
        q.bind(3, static_cast<int64_t>(b.open));
        q.bind(4, format_int128(b.size));
        q.bind(5, format_int128(b.quantity));
        q.bind(6, buckets_to_json(b));
        q.bind(7, format_int128(b.fine_hi));
        q.bind(8, format_int128(b.fine_lo));
        q.bind(9, format_int128(b.entry_sum));
        q.bind(10, format_int128(b.entry_sq));
      }
      q.exec();
      q.reset();
    }
    state.store.dirty_books.clear();
  }
  return {};
}

Result<State> Journal::load_state() {
  try {
    if (m->version < k_schema_version) {
      // A schema-1 journal read without a writer: its state is the replay of its events.
      NX_TRY(replayed, replay(std::nullopt, std::nullopt));
      m->state = std::move(replayed.first);
      m->head = std::move(replayed.second);
      return m->state;
    }
    NX_TRY_STATUS(m->load_state_tables());
    return m->state;
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m->path, e));
  }
}

const State& Journal::state() const { return m->state; }

}  // namespace nexadex::journal
