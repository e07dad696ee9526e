// lib/asset_books.cpp: the per-asset books of a multi-asset pool and the pool side of every move.
#include "lib/asset_books.hpp"

#include <algorithm>
#include <string>

namespace nexadex::assets {

namespace {

struct Values {
  Usd mid;
  Usd book;
  Usd spread;
};

Result<Values> values_of(const AssetConfig& asset, const AssetPrices& p, int64_t owned) {
  NX_TRY(mid, value_floor(owned, p.mid, asset.decimals));
  NX_TRY(low, value_floor(owned, p.low, asset.decimals));
  NX_TRY(high, value_floor(owned, p.high, asset.decimals));
  NX_TRY(spread, high - low);
  return Values{mid, low, spread};
}

// Recomputes asset i's values after its balance or its prices changed, and the running sums by the
// difference: O(1) whatever the number of assets.
Status refresh(AssetPool& pool, std::size_t i) {
  NX_TRY(v, values_of(pool.configs[i], pool.prices[i], pool.books[i].owned));
  pool.total_mid = wide_add(wide_sub(pool.total_mid, pool.value_mid[i]), v.mid);
  pool.total_book = wide_add(wide_sub(pool.total_book, pool.books[i].book), v.book);
  pool.total_spread = wide_add(wide_sub(pool.total_spread, pool.spread[i]), v.spread);
  pool.value_mid[i] = v.mid;
  pool.books[i].book = v.book;
  pool.spread[i] = v.spread;
  return {};
}

void set_owned(AssetPool& pool, std::size_t i, int64_t owned) {
  const bool was = pool.books[i].owned > 0;
  pool.books[i].owned = owned;
  pool.assets_held += static_cast<int64_t>(owned > 0) - static_cast<int64_t>(was);
}

Status need_price(const AssetPool& pool, std::size_t i) {
  if (pool.prices[i].known()) return {};
  const auto& a = pool.configs[i];
  return rule_error(a.symbol + " has no price yet; record one for market " + a.market + " with `nexadex price set " +
                    a.market + " PRICE` first.");
}

}  // namespace

std::string format_tokens(const AssetConfig& asset, int64_t units) {
  return format_decimal(units, asset.decimals) + " " + asset.symbol;
}

Result<AssetPool> make_pool(std::vector<AssetConfig> configs) {
  if (configs.empty()) return input_error("a multi-asset pool needs at least one [[assets]] table.");
  AssetPool pool;
  const auto settlement = std::find_if(configs.begin(), configs.end(),
                                       [](const AssetConfig& a) { return a.stable && !a.priced_by_market(); });
  if (settlement == configs.end()) {
    return input_error("no [[assets]] table is a stable priced by no market (the settlement asset, e.g. USDC with "
                       "stable = true and no price); add one.");
  }
  pool.settlement = static_cast<std::size_t>(settlement - configs.begin());
  const std::size_t n = configs.size();
  pool.books.assign(n, AssetBook{});
  pool.value_mid.assign(n, Usd());
  pool.spread.assign(n, Usd());
  pool.prices.reserve(n);
  for (const auto& a : configs) {
    NX_TRY(p, prices_of(a, Price()));
    pool.prices.push_back(p);
  }
  pool.configs = std::move(configs);
  return pool;
}

std::optional<std::size_t> find_asset(const AssetPool& pool, std::string_view symbol) {
  for (std::size_t i = 0; i < pool.configs.size(); ++i) {
    if (pool.configs[i].symbol == symbol) return i;
  }
  return std::nullopt;
}

Result<Usd> set_market_price(AssetPool& pool, std::string_view market, Price mid) {
  WideUsd delta;
  for (std::size_t i = 0; i < pool.configs.size(); ++i) {
    if (pool.configs[i].market != market) continue;
    NX_TRY(p, prices_of(pool.configs[i], mid));
    const Usd before = pool.books[i].book;
    pool.prices[i] = p;
    NX_TRY_STATUS(refresh(pool, i));
    delta = wide_add(wide_sub(delta, before), pool.books[i].book);
  }
  return narrow(delta, "an inventory result");
}

Status set_books(AssetPool& pool, std::size_t i, const AssetBook& book) {
  const int64_t owned_before = pool.books[i].owned;
  const Usd book_before = pool.books[i].book;
  pool.books[i] = book;
  pool.books[i].owned = owned_before;  // set_owned counts a change of "held"; refresh the change of B_A
  pool.books[i].book = book_before;
  set_owned(pool, i, book.owned);
  return refresh(pool, i);
}

std::string token_account(std::string_view holder, std::string_view symbol) {
  std::string out(holder);
  out += ':';
  out += symbol;
  return out;
}

std::string inventory_account(std::string_view symbol) { return token_account("inventory", symbol); }

std::string_view token_commodity(std::string_view account) {
  for (const std::string_view prefix : {"pool:", "insurance:", "treasury:"}) {
    if (account.starts_with(prefix)) return account.substr(prefix.size());
  }
  // an LP's, or (rules 4) a trader's, a keeper's or a position's collateral ("position:42:BTC")
  for (const std::string_view prefix : {"depositor:", "trader:", "position:", "keeper:"}) {
    if (!account.starts_with(prefix)) continue;
    const std::size_t last = account.rfind(':');
    if (last > prefix.size()) return account.substr(last + 1);
  }
  return {};
}

Result<Usd> insurance_value(const AssetPool& pool) {
  WideUsd sum;
  for (std::size_t i = 0; i < pool.configs.size(); ++i) {
    NX_TRY(v, value_floor(pool.books[i].insurance, pool.prices[i].low, pool.configs[i].decimals));
    sum = wide_add(sum, v);
  }
  return narrow(sum, "the insurance fund's value");
}

Result<std::optional<int64_t>> insurance_room(const AssetPool& pool, std::size_t asset, std::optional<Usd> target) {
  if (!target) return std::optional<int64_t>();
  // (tokens valued at 0 bring the fund no nearer its target, and cannot be counted: no cap on them)
  if (!pool.prices[asset].low.is_positive()) return std::optional<int64_t>();
  NX_TRY(value, insurance_value(pool));
  if (value >= *target) return std::optional<int64_t>(0);
  NX_TRY(missing, *target - value);
  NX_TRY(units, tokens_ceil(missing, pool.prices[asset].low, pool.configs[asset].decimals));
  return std::optional<int64_t>(units);
}

Result<DepositQuote> quote_deposit(const AssetPool& pool, std::size_t i, int64_t units, const FeeSplit& split,
                                   std::optional<int64_t> room) {
  const auto& asset = pool.configs[i];
  const auto& book = pool.books[i];
  const auto& p = pool.prices[i];
  if (units <= 0) return input_error("a deposit must be a positive amount of " + asset.symbol + ".");
  NX_TRY_STATUS(need_price(pool, i));
  DepositQuote q;
  q.asset = i;
  q.units = units;
  q.first = pool.assets_held == 0;
  q.spread_before = Usd();
  NX_TRY(owned_gross, checked_add(book.owned, units, "the pool's tokens"));
  NX_TRY_STATUS(checked_add(book.held, units, "the pool's tokens"));  // held ≥ owned
  NX_TRY(value_after, value_floor(owned_gross, p.mid, asset.decimals));
  NX_TRY(weights, weight_move(pool.value_mid[i], value_after, pool.total_mid));
  q.weights = weights;
  if (!q.first) {
    // Step 1: the band rule and the fee rate, on the gross move
    NX_TRY_STATUS(check_band(asset, weights, "a deposit of " + format_tokens(asset, units)));
    NX_TRY(rate, fee_rate(asset, Direction::deposit, weights));
    q.rate = rate;
  }
  NX_TRY(fee, fee_units_ceil(units, q.rate));
  q.fee = fee;
  // Step 2: the split; step 3: the books (the LP part stays in owned)
  NX_TRY(parts, split_token_fee(fee, split, room));
  q.parts = parts;
  q.owned_after = owned_gross - parts.insurance - parts.treasury;
  // Step 4: the values, all at the low price
  NX_TRY(value, value_floor(units - fee, p.low, asset.decimals));
  NX_TRY(income, value_floor(parts.lp, p.low, asset.decimals));
  NX_TRY(book_after, value_floor(q.owned_after, p.low, asset.decimals));
  q.value = value;
  q.fee_income = income;
  q.book_after = book_after;
  NX_TRY(dust, book_after - book.book - value - income);
  q.dust = dust;
  if (q.dust.is_negative()) {  // not on books the events gave: a floor of a sum is at least the sum of the floors
    return journal_error("the deposit's book value of " + asset.symbol + " would rise less than its parts, which the "
                         "rules cannot give: the assets table is not what the events give; run 'nexadex verify'.");
  }
  if (!q.value.is_positive()) {
    return input_error("a deposit of " + format_tokens(asset, units) + " is worth nothing after its fee at " +
                       to_string(p.low) + " USD; deposit more.");
  }
  NX_TRY(spread, narrow(pool.total_spread, "the holdings' spread"));
  q.spread_before = spread;
  return q;
}

Status apply_deposit(AssetPool& pool, const DepositQuote& q) {
  auto& book = pool.books[q.asset];
  book.held += q.units;  // checked by the quote
  book.insurance += q.parts.insurance;  // each ≤ units: cannot overflow once held did not
  book.treasury += q.parts.treasury;
  set_owned(pool, q.asset, q.owned_after);
  return refresh(pool, q.asset);
}

Result<WithdrawalQuote> quote_withdrawal(const AssetPool& pool, std::size_t i, Usd redeemed, const FeeSplit& split,
                                         std::optional<int64_t> room) {
  const auto& asset = pool.configs[i];
  const auto& book = pool.books[i];
  const auto& p = pool.prices[i];
  NX_TRY_STATUS(need_price(pool, i));
  WithdrawalQuote q;
  q.asset = i;
  q.redeemed = redeemed;
  // Step 2: the gross tokens at the high price, floored
  NX_TRY(gross, tokens_floor(redeemed, p.high, asset.decimals));
  q.gross = gross;
  if (gross == 0) {
    return input_error("a withdrawal of " + to_string(redeemed) + " USD pays less than one token unit of " +
                       asset.symbol + " at " + to_string(p.high) + " USD; withdraw more, or in another asset.");
  }
  if (gross > book.owned) {
    return rule_error("a withdrawal of " + to_string(redeemed) + " USD would pay " + format_tokens(asset, gross) +
                      " but the pool owns only " + format_tokens(asset, book.owned) +
                      "; withdraw less, or in another asset.");
  }
  // Step 3: weights on the gross move, the band rule, the fee and its split
  NX_TRY(value_after, value_floor(book.owned - gross, p.mid, asset.decimals));
  NX_TRY(weights, weight_move(pool.value_mid[i], value_after, pool.total_mid));
  q.weights = weights;
  const WideUsd total_after = wide_add(wide_sub(pool.total_mid, pool.value_mid[i]), value_after);
  if (total_after.is_positive()) {
    NX_TRY_STATUS(check_band(asset, weights, "a withdrawal of " + format_tokens(asset, gross)));
  }
  NX_TRY(rate, fee_rate(asset, Direction::withdrawal, weights));
  q.rate = rate;
  NX_TRY(fee, fee_units_ceil(gross, rate));
  q.fee = fee;
  NX_TRY(parts, split_token_fee(fee, split, room));
  q.parts = parts;
  // Step 4: the LP is paid G − F
  q.paid = gross - fee;
  if (q.paid <= 0) {
    return input_error("a withdrawal of " + format_tokens(asset, gross) + " pays nothing after its fee of " +
                       format_tokens(asset, fee) + "; withdraw more.");
  }
  // Step 5: owned loses what is paid and the insurance and treasury parts; the LP part stays
  q.owned_after = book.owned - (gross - parts.lp);
  if (q.owned_after < book.reserved) {
    return rule_error("a withdrawal of " + format_tokens(asset, gross) + " would leave the pool " +
                      format_tokens(asset, q.owned_after) + ", below the " + format_tokens(asset, book.reserved) +
                      " reserved for open positions; withdraw less, or in another asset.");
  }
  // Step 6: what the LPs who remain gain
  NX_TRY(income, value_floor(parts.lp, p.low, asset.decimals));
  NX_TRY(book_after, value_floor(q.owned_after, p.low, asset.decimals));
  q.fee_income = income;
  q.book_after = book_after;
  NX_TRY(spread_gain, redeemed - (book.book - book_after) - income);
  q.spread_gain = spread_gain;
  if (q.spread_gain.is_negative()) {  // not on books the events gave: paid at the high price, booked at the low
    return journal_error("the withdrawal's book value of " + asset.symbol + " would fall more than it pays, which the "
                         "rules cannot give: the assets table is not what the events give; run 'nexadex verify'.");
  }
  return q;
}

Status apply_withdrawal(AssetPool& pool, const WithdrawalQuote& q) {
  auto& book = pool.books[q.asset];
  book.held -= q.paid;
  book.insurance += q.parts.insurance;
  book.treasury += q.parts.treasury;
  set_owned(pool, q.asset, q.owned_after);
  return refresh(pool, q.asset);
}

Result<InsurancePayment> pay_from_insurance(AssetPool& pool, Usd amount) {
  InsurancePayment out;
  if (!amount.is_positive()) return out;
  std::vector<std::size_t> order{pool.settlement};
  for (std::size_t i = 0; i < pool.configs.size(); ++i) {
    if (i != pool.settlement) order.push_back(i);
  }
  Usd left = amount;
  WideUsd book_delta;
  for (const std::size_t i : order) {
    if (!left.is_positive()) break;
    auto& book = pool.books[i];
    const auto& p = pool.prices[i];
    if (book.insurance == 0 || !p.low.is_positive()) continue;
    NX_TRY(want, tokens_ceil(left, p.low, pool.configs[i].decimals));
    const int64_t t = std::min(book.insurance, want);
    NX_TRY(counted, value_floor(t, p.low, pool.configs[i].decimals));
    const Usd before = book.book;
    book.insurance -= t;
    set_owned(pool, i, book.owned + t);
    NX_TRY_STATUS(refresh(pool, i));
    book_delta = wide_add(wide_sub(book_delta, before), book.book);
    out.tokens.emplace_back(i, t);
    NX_TRY(rest, left - std::min(counted, left));
    left = rest;
  }
  NX_TRY(covered, amount - left);
  out.covered = covered;
  NX_TRY(delta, narrow(book_delta, "an insurance payment"));
  NX_TRY(gain, delta - covered);
  out.book_gain = gain;
  return out;
}

Status check_books(const AssetPool& pool) {
  WideUsd mid, book_sum, spread;
  int64_t held_count = 0;
  for (std::size_t i = 0; i < pool.configs.size(); ++i) {
    const auto& a = pool.configs[i];
    const auto& b = pool.books[i];
    const int128 parts = int128(b.owned) + b.collateral + b.insurance + b.treasury;
    if (parts != b.held) {
      return discrepancy_error(a.symbol + ": the pool holds " + format_tokens(a, b.held) + " but owned + collateral + "
                               "insurance + treasury is " + format_decimal_wide(parts, a.decimals) + " " + a.symbol);
    }
    // (the settlement asset's reserves may exceed what it owns after a loss: the pool is then over-reserved)
    if (b.reserved < 0 || (i != pool.settlement && b.reserved > b.owned)) {
      return discrepancy_error(a.symbol + ": " + format_tokens(a, b.reserved) + " reserved of " +
                               format_tokens(a, b.owned) + " owned");
    }
    NX_TRY(v, values_of(a, pool.prices[i], b.owned));
    if (v.book != b.book || v.mid != pool.value_mid[i] || v.spread != pool.spread[i]) {
      return discrepancy_error(a.symbol + ": the book value is " + to_string(b.book) + " USD but " +
                               format_tokens(a, b.owned) + " at " + to_string(pool.prices[i].low) + " USD is " +
                               to_string(v.book) + " USD");
    }
    mid = wide_add(mid, v.mid);
    book_sum = wide_add(book_sum, v.book);
    spread = wide_add(spread, v.spread);
    held_count += b.owned > 0;
  }
  if (mid != pool.total_mid || book_sum != pool.total_book || spread != pool.total_spread ||
      held_count != pool.assets_held) {
    return discrepancy_error("the pool's running sums of its holdings (" + to_string(pool.total_book) +
                             " USD at the low prices) differ from their sum over the assets (" + to_string(book_sum) +
                             " USD)");
  }
  return {};
}

}  // namespace nexadex::assets
