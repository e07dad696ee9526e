// lib/positions.cpp: the positions of a state, their books and indexes, read on demand.
#include <algorithm>
#include <iterator>
#include <limits>
#include <map>
#include <tuple>

#include "lib/state.hpp"

namespace nexadex {
namespace {

constexpr int64_t k_min = std::numeric_limits<int64_t>::min();
constexpr int64_t k_max = std::numeric_limits<int64_t>::max();

BookKey book_of(const Position& p) { return BookKey{p.market, p.side}; }

void index_add(const State& s, const Position& p) {
  if (p.status != PositionStatus::open) return;
  auto& sets = s.store.index.books[book_of(p)];
  sets.below.insert({p.keys.below, p.id});
  sets.above.insert({p.keys.above, p.id});
  sets.dead.insert({p.keys.dead, p.id});
  sets.liq[p.keys.bucket].insert({p.keys.liq, p.id});
}

void index_remove(const State& s, const Position& p) {
  if (p.status != PositionStatus::open) return;
  const auto it = s.store.index.books.find(book_of(p));
  if (it == s.store.index.books.end()) return;
  auto& sets = it->second;
  sets.below.erase({p.keys.below, p.id});
  sets.above.erase({p.keys.above, p.id});
  sets.dead.erase({p.keys.dead, p.id});
  const auto b = sets.liq.find(p.keys.bucket);
  if (b != sets.liq.end()) {
    b->second.erase({p.keys.liq, p.id});
    if (b->second.empty()) sets.liq.erase(b);
  }
}

// Inserts sorted (key, id) pairs, each with the previous one's place as its hint: the B-tree is
// walked front to back once instead of searched from the root for every entry.
void insert_sorted(PositionIndex::Keys& set, std::vector<std::pair<int64_t, int64_t>>& entries) {
  std::sort(entries.begin(), entries.end());
  auto hint = set.begin();
  for (const auto& e : entries) hint = std::next(set.insert(hint, e));
}

// Puts positions read from the loader into the state's copy, unless it holds a newer one, and
// indexes the open ones it adopts book by book.
void adopt(const State& s, std::vector<Position>&& rows) {
  std::vector<const Position*> fresh;
  fresh.reserve(rows.size());
  for (auto& row : rows) {
    const auto [it, added] = s.positions.try_emplace(row.id, std::move(row));
    if (added && it->second.status == PositionStatus::open) fresh.push_back(&it->second);
  }
  std::sort(fresh.begin(), fresh.end(), [](const Position* a, const Position* b) {
    return std::tie(a->market, a->side) < std::tie(b->market, b->side);
  });
  std::vector<std::pair<int64_t, int64_t>> below, above, dead;
  std::map<int64_t, std::vector<std::pair<int64_t, int64_t>>> liq;
  for (auto first = fresh.begin(); first != fresh.end();) {
    const BookKey book = book_of(**first);
    auto last = first;
    below.clear(), above.clear(), dead.clear(), liq.clear();
    for (; last != fresh.end() && (*last)->market == book.market && (*last)->side == book.side; ++last) {
      const Position& p = **last;
      below.emplace_back(p.keys.below, p.id);
      above.emplace_back(p.keys.above, p.id);
      dead.emplace_back(p.keys.dead, p.id);
      liq[p.keys.bucket].emplace_back(p.keys.liq, p.id);
    }
    auto& sets = s.store.index.books[book];
    insert_sorted(sets.below, below);
    insert_sorted(sets.above, above);
    insert_sorted(sets.dead, dead);
    for (auto& [bucket, entries] : liq) insert_sorted(sets.liq[bucket], entries);
    first = last;
  }
}

// The open positions of an index range (a what-if copy leaves ended positions' entries behind).
template <class It>
void collect(const State& s, It first, It last, std::vector<const Position*>& out) {
  for (; first != last; ++first) {
    const Position& p = s.positions.at(first->second);
    if (p.status == PositionStatus::open) out.push_back(&p);
  }
}

// By id, each once. The ids are sorted beside their pointers: comparing through the pointers would
// chase a quarter of a million of them around the heap.
void sort_unique_by_id(std::vector<const Position*>& positions) {
  std::vector<std::pair<int64_t, const Position*>> keyed;
  keyed.reserve(positions.size());
  for (const Position* p : positions) keyed.emplace_back(p->id, p);
  std::sort(keyed.begin(), keyed.end());
  keyed.erase(std::unique(keyed.begin(), keyed.end()), keyed.end());
  positions.clear();
  for (const auto& [id, p] : keyed) positions.push_back(p);
}

Status read_matching(const State& s, const IndexQuery& q) {
  if (s.store.loader == nullptr || s.store.positions_complete || s.store.open_complete) return {};
  // below and liq ask for key ≥ bound, above and dead for key ≤ bound
  const bool at_least = q.kind == IndexKind::below || q.kind == IndexKind::liq;
  const auto key = std::make_tuple(q.kind, q.book, q.bucket);
  const auto it = s.store.asked.find(key);
  if (it != s.store.asked.end() && (at_least ? q.bound >= it->second : q.bound <= it->second)) return {};
  // The ids first, from the index alone: rows the state already holds (a preview that liquidated
  // them, say) are not read again; the others are read in id order.
  NX_TRY(ids, s.store.loader->query_ids(q));
  std::vector<int64_t> missing;
  for (const int64_t id : ids) {
    if (!s.positions.contains(id)) missing.push_back(id);
  }
  std::sort(missing.begin(), missing.end());
  NX_TRY(rows, s.store.loader->load_many(missing));
  adopt(s, std::move(rows));
  s.store.asked[key] = q.bound;
  return {};
}

}  // namespace

std::vector<const Position*> positions_by_id(const State& state) {
  std::vector<const Position*> out;
  out.reserve(state.positions.size());
  for (const auto& [id, p] : state.positions) out.push_back(&p);
  std::sort(out.begin(), out.end(), [](const Position* a, const Position* b) { return a->id < b->id; });
  return out;
}

Result<Position*> find_position(const State& state, int64_t id) {
  auto it = state.positions.find(id);
  if (it != state.positions.end()) return &it->second;
  if (state.store.loader == nullptr || state.store.positions_complete) return nullptr;
  NX_TRY(row, state.store.loader->load(id));
  if (!row) return nullptr;
  it = state.positions.emplace(id, std::move(*row)).first;
  index_add(state, it->second);
  return &it->second;
}

Status store_position(State& state, const Position* before, Position after) {
  if (after.status == PositionStatus::open) {
    NX_TRY(keys, position_keys(state.config, after));
    after.keys = keys;
  } else {
    after.keys = PositionKeys{};
  }
  if (before != nullptr && before->status == PositionStatus::open) {
    // A what-if copy (cascade --shock) ends a quarter of a million positions and is thrown away: it
    // leaves their index entries in place, and collect() skips them.
    if (!state.what_if || after.status == PositionStatus::open) index_remove(state, *before);
    const BookKey key = book_of(*before);
    Book& book = state.books[key];
    book_add(book, *before, -1);
    if (book.open == 0) state.books.erase(key);
    state.store.dirty_books.insert(key);
  }
  if (after.status == PositionStatus::open) {
    const BookKey key = book_of(after);
    book_add(state.books[key], after, +1);
    state.store.dirty_books.insert(key);
  }
  const int64_t id = after.id;
  Position& slot = state.positions[id];
  slot = std::move(after);
  index_add(state, slot);
  if (!state.what_if) state.store.dirty_positions.insert(id);   // a what-if copy is never written
  return {};
}

Result<std::vector<const Position*>> clamp_candidates(const State& state, const BookKey& book, Price price) {
  const int64_t p = price.units();
  NX_TRY_STATUS(read_matching(state, {IndexKind::below, book, 0, p}));
  NX_TRY_STATUS(read_matching(state, {IndexKind::above, book, 0, p}));
  std::vector<const Position*> out;
  const auto it = state.store.index.books.find(book);
  if (it == state.store.index.books.end()) return out;
  const auto& sets = it->second;
  // the usual book has no position near a bound: its largest `below` key is under the price and its
  // smallest `above` key over it, read at the ends of the trees without a search
  const bool none_below = sets.below.empty() || std::prev(sets.below.end())->first < p;
  const bool none_above = sets.above.empty() || sets.above.begin()->first > p;
  if (none_below && none_above) return out;
  collect(state, sets.below.lower_bound({p, k_min}), sets.below.end(), out);
  collect(state, sets.above.begin(), sets.above.upper_bound({p, k_max}), out);
  sort_unique_by_id(out);
  return out;
}

Result<std::vector<const Position*>> book_positions(const State& state, const BookKey& book) {
  constexpr int64_t k_all = std::numeric_limits<int64_t>::min();   // key_below ≥ it: every open row
  NX_TRY_STATUS(read_matching(state, {IndexKind::below, book, 0, k_all}));
  std::vector<const Position*> out;
  const auto it = state.store.index.books.find(book);
  if (it == state.store.index.books.end()) return out;
  collect(state, it->second.below.begin(), it->second.below.end(), out);
  sort_unique_by_id(out);
  return out;
}

std::string reserve_asset_for(const State& state, const std::string& market, Side side) {
  return reserve_asset_for(state.rules, state.config, market, side);
}

std::string reserve_asset_for(int64_t rules, const Config& config, const std::string& market, Side side) {
  if (rules < 4 || side != Side::long_) return {};
  for (const AssetConfig& a : config.assets) {
    if (!a.stable && a.market == market) return a.symbol;
  }
  return {};
}

BorrowIndex borrow_index_of(const State& state, const std::string& asset) {
  if (asset.empty() || !state.assets) return state.vault.borrow_index;
  for (std::size_t i = 0; i < state.assets->configs.size(); ++i) {
    if (state.assets->configs[i].symbol == asset) return state.assets->books[i].borrow_index;
  }
  return state.vault.borrow_index;
}

Result<std::vector<const Position*>> liquidation_candidates(const State& state, const BookKey& book, Price price) {
  std::vector<const Position*> out;
  const auto b = state.books.find(book);
  if (b == state.books.end()) return out;
  // Every position of a book reserves the same asset (a config that would change it while the book
  // is open is refused): its index, and with a cap in tokens, the capped positions too (their `dead`
  // key never finds them; PositionKeys).
  const std::string asset = reserve_asset_for(state, book.market, book.side);
  if (!asset.empty()) {
    NX_TRY(capped, clamp_candidates(state, book, price));
    out = std::move(capped);
  }
  const int128 index = borrow_index_of(state, asset).units();
  const int64_t dead = dead_bound(index);
  NX_TRY_STATUS(read_matching(state, {IndexKind::dead, book, 0, dead}));
  for (const auto& [bucket, count] : b->second.buckets) {
    const int64_t bound = liquidation_bound(book.side, bucket, price, index);
    NX_TRY_STATUS(read_matching(state, {IndexKind::liq, book, bucket, bound}));
  }
  const auto it = state.store.index.books.find(book);
  if (it == state.store.index.books.end()) return out;
  const auto& sets = it->second;
  collect(state, sets.dead.begin(), sets.dead.upper_bound({dead, k_max}), out);
  for (const auto& [bucket, keys] : sets.liq) {
    const int64_t bound = liquidation_bound(book.side, bucket, price, index);
    collect(state, keys.lower_bound({bound, k_min}), keys.end(), out);
  }
  sort_unique_by_id(out);
  return out;
}

Status load_all_positions(const State& state) {
  if (state.store.loader == nullptr || state.store.positions_complete) return {};
  NX_TRY(rows, state.store.loader->all());
  adopt(state, std::move(rows));
  state.store.positions_complete = true;
  return {};
}

Result<WideUsd*> account_balance(const State& state, const std::string& name) {
  auto it = state.accounts.find(name);
  if (it != state.accounts.end()) return &it->second;
  WideUsd balance;
  if (state.store.loader != nullptr && !state.store.accounts_complete) {
    NX_TRY(row, state.store.loader->load_account(name));
    balance = WideUsd(row.value_or(Usd()));
  }
  return &state.accounts.emplace(name, balance).first->second;
}

Status load_all_accounts(const State& state) {
  if (state.store.loader == nullptr || state.store.accounts_complete) return {};
  NX_TRY(rows, state.store.loader->all_accounts());
  for (auto& [name, balance] : rows) state.accounts.try_emplace(name, WideUsd(balance));
  state.store.accounts_complete = true;
  return {};
}

Result<std::map<BookKey, Book>> recompute_books(const State& state) {
  NX_TRY_STATUS(load_all_positions(state));
  std::map<BookKey, Book> books;
  for (const auto& [id, p] : state.positions) {
    if (p.status != PositionStatus::open) continue;
    Position fresh = p;
    NX_TRY(keys, position_keys(state.config, p));
    fresh.keys = keys;
    book_add(books[book_of(p)], fresh, +1);
  }
  return books;
}

}  // namespace nexadex

namespace nexadex {

Result<std::vector<PositionLeg>> position_legs(const State& state, int64_t id) {
  std::vector<PositionLeg> rows;
  if (state.store.loader != nullptr) {
    NX_TRY(stored, state.store.loader->legs(id));
    rows = std::move(stored);
  }
  const std::size_t from = state.store.loader != nullptr ? state.store.legs_written : 0;
  for (std::size_t i = from; i < state.legs.size(); ++i) {
    if (id == 0 || state.legs[i].id == id) rows.push_back(state.legs[i]);
  }
  std::stable_sort(rows.begin(), rows.end(), [](const PositionLeg& a, const PositionLeg& b) {
    return std::pair(a.id, a.seq) < std::pair(b.id, b.seq);
  });
  return rows;
}

std::string_view leg_kind_name(LegKind kind) {
  return kind == LegKind::opened ? "opened" : kind == LegKind::closed ? "closed" : "liquidated";
}

Result<std::vector<LossRecord>> all_losses(const State& state) {
  if (state.store.loader == nullptr) return state.losses;
  NX_TRY(rows, state.store.loader->losses());
  for (std::size_t i = state.store.losses_written; i < state.losses.size(); ++i) rows.push_back(state.losses[i]);
  return rows;
}

}  // namespace nexadex
