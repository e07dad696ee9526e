// lib/state.cpp: the state's names and its comparison.
#include "lib/state.hpp"

namespace nexadex {

std::string_view tranche_name(TrancheId id) { return id == TrancheId::junior ? "junior" : "senior"; }

bool states_equal(const State& a, const State& b) {
  return a.head_seq == b.head_seq && a.head_at == b.head_at && a.config_sha256 == b.config_sha256 && a.rules == b.rules &&
         a.config_seq == b.config_seq && a.markets == b.markets && a.accounts == b.accounts && a.vault == b.vault &&
         a.books == b.books && a.positions == b.positions && a.lps == b.lps;
}

}  // namespace nexadex
