// lib/state.cpp: the state's names and its comparison.
#include "lib/state.hpp"

namespace nexadex {

std::string_view tranche_name(TrancheId id) { return id == TrancheId::junior ? "junior" : "senior"; }

namespace {

// Balances equal account by account, an account at 0 the same as one never posted to (reading an
// account's balance through account_balance() adds it at 0).
template <class Accounts>
bool same_balances(const Accounts& a, const Accounts& b) {
  const auto covered = [](const Accounts& x, const Accounts& y) {
    for (const auto& [name, balance] : x) {
      const auto it = y.find(name);
      if (balance != (it == y.end() ? decltype(balance){0} : it->second)) return false;
    }
    return true;
  };
  return covered(a, b) && covered(b, a);
}

}  // namespace

bool states_equal(const State& a, const State& b) {
  return a.head_seq == b.head_seq && a.head_at == b.head_at && a.config_sha256 == b.config_sha256 && a.rules == b.rules &&
         a.config_seq == b.config_seq && a.markets == b.markets && same_balances(a.accounts, b.accounts) && a.vault == b.vault &&
         a.books == b.books && a.positions == b.positions && a.lps == b.lps && a.lots.same_lots(b.lots) &&
         a.assets == b.assets;
}

}  // namespace nexadex
