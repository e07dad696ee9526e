// lib/audit.cpp: money in less money out equals what the pool holds, and the books equal their accounts.
#include "lib/audit.hpp"

#include <map>

#include "lib/asset_books.hpp"
#include "lib/locks.hpp"
#include "lib/pricing.hpp"

namespace nexadex::vault {

// SPEC §7 conservation: what came in less what went out (deposits, collateral, insurance funding,
// withdrawals, trader payouts, keeper fees) equals what the pool holds (LP capital, open collateral,
// insurance, treasury) less the unabsorbed losses, to the micro-unit; and the books of the vault
// equal the balances of their accounts.
std::vector<std::pair<int64_t, std::string>> conservation_problems(const State& s) {
  std::vector<std::pair<int64_t, std::string>> out;
  if (auto ok = load_all_positions(s); !ok) {
    out.push_back({0, "the positions cannot be read: " + ok.error().message});
    return out;
  }
  if (auto ok = load_all_accounts(s); !ok) {
    out.push_back({0, "the accounts cannot be read: " + ok.error().message});
    return out;
  }
  if (auto books = recompute_books(s); !books) {
    out.push_back({0, "the books cannot be recomputed: " + books.error().message});
  } else if (*books != s.books) {
    out.push_back({0, "the books' aggregates (Σ size, Σ quantity, buckets) differ from "
                      "those of the open positions"});
  }
  // exact 128-bit sums: every balance is itself a sum of postings, each a Usd
  // (on a multi-asset pool: token accounts are in their asset's units, and checked per asset below;
  // inventory:A = −B_A is the USD counterpart of the LPs' tokens, so it counts as money in)
  WideUsd external;
  std::map<std::string, WideUsd, std::less<>> paid_in_tokens;   // −Σ depositor:*:A, by asset
  for (const auto& [name, balance] : s.accounts) {
    if (const std::string_view asset = assets::token_commodity(name); !asset.empty()) {
      // (tokens leave the pool to depositors and, rules 4, to traders (a long's profit in its reserve's
      // asset, collateral in tokens) and keepers; they come in from traders as collateral)
      if (name.rfind("depositor:", 0) == 0 || name.rfind("trader:", 0) == 0 || name.rfind("keeper:", 0) == 0) {
        WideUsd& t = paid_in_tokens[std::string(asset)];
        t = wide_sub(t, balance);
      }
      continue;
    }
    for (const char* prefix : {"depositor:", "trader:", "funder:", "keeper:", "loss:", "inventory:"}) {
      if (name.rfind(prefix, 0) == 0) external = wide_add(external, balance);
    }
  }
  if (s.assets) {
    const auto& pool = *s.assets;
    if (auto ok = assets::check_books(pool); !ok) out.push_back({0, ok.error().message});
    const auto account = [&](const std::string& name) {
      const auto it = s.accounts.find(name);
      return it == s.accounts.end() ? WideUsd() : it->second;
    };
    for (std::size_t i = 0; i < pool.configs.size(); ++i) {
      if (i == pool.settlement) continue;   // the vault's USD books, checked below
      const auto& a = pool.configs[i];
      const auto& b = pool.books[i];
      const auto paid = paid_in_tokens.find(a.symbol);
      const struct {
        std::string account;
        WideUsd books;
      } pairs[] = {{assets::token_account("pool", a.symbol), WideUsd(Usd(b.owned))},
                   {assets::token_account("insurance", a.symbol), WideUsd(Usd(b.insurance))},
                   {assets::token_account("treasury", a.symbol), WideUsd(Usd(b.treasury))},
                   {assets::inventory_account(a.symbol), wide_sub(WideUsd(), b.book)}};
      for (const auto& p : pairs) {
        if (account(p.account) != p.books) {
          out.push_back({0, "the books of " + a.symbol + " hold " + to_string(p.books) + " for " + p.account +
                                " but its postings sum to " + to_string(account(p.account)) +
                                " (token accounts in units of 10^-6 shown as decimals)"});
        }
      }
      const WideUsd in = paid == paid_in_tokens.end() ? WideUsd() : paid->second;
      if (in != WideUsd(Usd(b.held))) {
        out.push_back({0, a.symbol + ": tokens in less tokens out is " +
                              format_decimal_wide(in.units(), static_cast<int>(a.decimals)) + " but the pool holds " +
                              assets::format_tokens(a, b.held)});
      }
    }
  }
  WideUsd open_collateral;
  std::map<std::string, WideUsd, std::less<>> reserved;   // Σ reserves of the open positions, by asset ("": USD)
  // rules 4: Σ collateral tokens and Σ their recorded USD of the open positions, by asset
  std::map<std::string, std::pair<WideUsd, WideUsd>, std::less<>> in_tokens;
  for (const Position* pp : positions_by_id(s)) {
    const Position& p = *pp;
    const int64_t id = p.id;
    const bool tokens = !p.collateral_asset.empty();
    if (p.status == PositionStatus::open) {
      if (tokens) {
        auto& [units, usd] = in_tokens[p.collateral_asset];
        units = wide_add(units, Usd(p.collateral_tokens));
        usd = wide_add(usd, p.collateral);
      } else {
        open_collateral = wide_add(open_collateral, p.collateral);
      }
      WideUsd& r = reserved[p.reserve_asset];
      r = wide_add(r, p.reserve);
    }
    const auto it = s.accounts.find(position_account(id));
    const WideUsd posted = it == s.accounts.end() ? WideUsd() : it->second;
    const Usd held = p.status == PositionStatus::open && !tokens ? p.collateral : Usd();
    if (posted != WideUsd(held)) {
      out.push_back({id, "position " + std::to_string(id) + " holds " + to_string(held) +
                                             " of collateral but its account holds " + to_string(posted)});
    }
    if (tokens) {
      const auto t = s.accounts.find(assets::token_account(position_account(id), p.collateral_asset));
      const WideUsd posted_tokens = t == s.accounts.end() ? WideUsd() : t->second;
      const int64_t held_tokens = p.status == PositionStatus::open ? p.collateral_tokens : 0;
      if (posted_tokens != WideUsd(Usd(held_tokens))) {
        out.push_back({id, "position " + std::to_string(id) + " holds " + std::to_string(held_tokens) + " units of " +
                               p.collateral_asset + " as collateral but its account holds " +
                               std::to_string(static_cast<int64_t>(posted_tokens.units()))});
      }
    }
  }
  if (s.assets) {
    const auto& pool = *s.assets;
    for (std::size_t i = 0; i < pool.configs.size(); ++i) {
      const auto& a = pool.configs[i];
      const auto it = in_tokens.find(a.symbol);
      const auto sums = it == in_tokens.end() ? std::pair<WideUsd, WideUsd>() : it->second;
      if (sums.first != WideUsd(Usd(pool.books[i].collateral)) || sums.second != WideUsd(pool.books[i].collateral_usd)) {
        out.push_back({0, "the books of " + a.symbol + " hold " + assets::format_tokens(a, pool.books[i].collateral) +
                              " of collateral recorded at " + to_string(pool.books[i].collateral_usd) +
                              " but the open positions hold " +
                              format_decimal_wide(sums.first.units(), static_cast<int>(a.decimals)) + " recorded at " +
                              to_string(sums.second)});
      }
    }
  }
  // the books' reserves: the vault's in USD, and under rules 4 each asset's reserved tokens
  const auto reserved_of = [&](const std::string& asset) {
    const auto it = reserved.find(asset);
    return it == reserved.end() ? WideUsd() : it->second;
  };
  if (reserved_of("") != WideUsd(s.vault.reserved)) {
    out.push_back({0, "the vault's books reserve " + to_string(s.vault.reserved) + " but its open positions reserve " +
                          to_string(reserved_of(""))});
  }
  if (s.assets) {
    const auto& pool = *s.assets;
    for (std::size_t i = 0; i < pool.configs.size(); ++i) {
      if (i == pool.settlement) continue;
      const auto& a = pool.configs[i];
      if (reserved_of(a.symbol) != WideUsd(Usd(pool.books[i].reserved))) {
        out.push_back({0, "the books of " + a.symbol + " reserve " + assets::format_tokens(a, pool.books[i].reserved) +
                              " but its open positions reserve " +
                              format_decimal_wide(reserved_of(a.symbol).units(), static_cast<int>(a.decimals))});
      }
    }
  }
  for (const auto& [asset, sum] : reserved) {
    if (!asset.empty() && !(s.assets && assets::find_asset(*s.assets, asset))) {
      out.push_back({0, "open positions reserve " + asset + ", an asset the pool does not have"});
    }
  }
  const auto balance = [&](const char* name) {
    const auto it = s.accounts.find(name);
    return it == s.accounts.end() ? WideUsd() : it->second;
  };
  if (auto ok = locks::read_all_lots(s); !ok) {
    out.push_back({0, "the lots cannot be read: " + ok.error().message});
    return out;
  }
  // claimable income (outside the NAV): what no lot has been credited yet, and what each lot holds
  std::array<WideUsd, 2> claimable{WideUsd(s.vault.senior().unassigned), WideUsd(s.vault.junior().unassigned)};
  for (const auto& [id, lot] : s.lots.all) {
    WideUsd& c = claimable[static_cast<std::size_t>(lot.tranche)];
    c = wide_add(c, lot.claimable);
  }
  // the unabsorbed account holds minus the books' figure (a 128-bit negation cannot overflow)
  const struct {
    const char* account;
    WideUsd books;
  } pairs[] = {{"lp:senior", WideUsd(s.vault.senior().capital)},
               {"lp:junior", WideUsd(s.vault.junior().capital)},
               {"insurance", WideUsd(s.vault.insurance)},
               {"treasury", WideUsd(s.vault.treasury)},
               {"unabsorbed", wide_sub(WideUsd(), s.vault.unabsorbed)},
               {"lp:senior:claimable", claimable[0]},
               {"lp:junior:claimable", claimable[1]}};
  for (const auto& p : pairs) {
    if (balance(p.account) != p.books) {
      out.push_back({0, std::string("the vault's books hold ") + to_string(p.books) + " for " +
                                            p.account + " but its postings sum to " + to_string(balance(p.account))});
    }
  }
  WideUsd held = wide_add(WideUsd(s.vault.senior().capital), s.vault.junior().capital);
  held = wide_add(held, open_collateral);
  held = wide_add(held, s.vault.insurance);
  held = wide_add(held, s.vault.treasury);
  held = wide_sub(held, s.vault.unabsorbed);
  held = wide_add(held, claimable[0]);
  held = wide_add(held, claimable[1]);
  const WideUsd in_less_out = wide_sub(WideUsd(), external);
  if (held != in_less_out) {
    out.push_back({0, "money in less money out is " + to_string(in_less_out) + " but the pool holds " +
                          to_string(held)});
  }
  return out;
}

}  // namespace nexadex::vault
