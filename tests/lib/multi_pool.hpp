// tests/lib/multi_pool.hpp: a multi-asset pool under test (nexadex-assets(7)), built by applying real
// events from the journal_created of a TOML config: every accepted event balances per commodity and
// keeps the pool's conservation; every refusal leaves the state as it was.
#pragma once

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "journal/config_toml.hpp"
#include "lib/asset_books.hpp"
#include "lib/vault.hpp"

namespace nexadex::test {

// nexadex-assets(7)'s EXAMPLES configuration (examples/multi-asset.toml without its comments).
inline constexpr const char* k_example = R"toml(
[fees]
open_fee_bps = 10
close_fee_bps = 10
liquidation_fee = "5"

[[markets]]
symbol = "BTC"
max_leverage = 10

[[assets]]
symbol = "USDC"
decimals = 6
stable = true
target_weight_bps = 5000
min_weight_bps = 3000
max_weight_bps = 7000
add_fee_bps = 10
remove_fee_bps = 10
fee_curve = "linear"
fee_ratio_mult_bps = 20000

[[assets]]
symbol = "BTC"
decimals = 8
price = "BTC"
target_weight_bps = 5000
min_weight_bps = 3000
max_weight_bps = 7000
add_fee_bps = 30
remove_fee_bps = 30
fee_curve = "linear"
fee_ratio_mult_bps = 20000
price_confidence_bps = 10
)toml";

// Per commodity (USD, or the asset of a token account), the legs of one event sum to zero.
inline bool balanced(const std::vector<Posting>& postings) {
  std::map<std::string, int64_t, std::less<>> sums;
  for (const auto& p : postings) sums[std::string(assets::token_commodity(p.account))] += p.amount.units();
  for (const auto& [commodity, sum] : sums) {
    if (sum != 0) return false;
  }
  return true;
}

inline int64_t leg(const std::vector<Posting>& postings, const std::string& account) {
  int64_t total = 0;
  for (const auto& p : postings) total += p.account == account ? p.amount.units() : 0;
  return total;
}

struct MultiPool {
  State s;
  Timestamp now{1'767'225'600};   // 2026-01-01T00:00:00Z
  explicit MultiPool(const char* text = k_example, int64_t rules = k_rules_version) {
    auto config = journal::parse_config(text, "multi.toml");
    INFO((config ? std::string() : config.error().message));
    REQUIRE(config.has_value());
    REQUIRE(apply(s, Event{1, now, JournalCreated{text, "test", *config, rules}}).has_value());
  }
  std::vector<Posting> ok(EventBody body) {
    const std::string kind(kind_name(body));
    auto r = apply(s, Event{s.head_seq + 1, now, std::move(body)});
    if (!r) FAIL(kind << " was refused: " << r.error().message);
    CHECK(balanced(*r));
    const auto problems = vault::conservation_problems(s);
    INFO(kind << ": " << (problems.empty() ? std::string() : problems.front().second));
    CHECK(problems.empty());
    return *r;
  }
  Error refused(EventBody body, ErrorKind kind) {
    const State before = s;
    auto r = apply(s, Event{s.head_seq + 1, now, std::move(body)});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == kind);
    CHECK(states_equal(before, s));
    return r.error();
  }
  const AssetBook& book(const char* symbol) const {
    return s.assets->books[*assets::find_asset(*s.assets, symbol)];
  }
};

}  // namespace nexadex::test
