// tests/fuzz/shock_spec_fuzz.cpp: `cascade --shock` specifications (cli/shock_spec.hpp), one per
// line, against a pool with markets BTC, ETH and SOL, LPs and open longs and shorts. Accepted
// shocks name configured markets once each, move above −10,000 bps, and read back from their
// canonical form ("BTC=-30.5%"); the preview they feed (lib/shock.hpp) returns a report or an error
// value, never a crash.
#include "cli/shock_spec.hpp"
#include "lib/apply.hpp"
#include "tests/fuzz/fuzz.hpp"

namespace {

using namespace nexadex;

constexpr int64_t k_t0 = 1'767'225'600;  // 2026-01-01T00:00:00Z
constexpr int64_t k_usd = 1'000'000;

State make_pool() {
  Config c;
  c.markets = {MarketConfig{"BTC", Leverage{1000}, Bps{100}, Bps{10'000}},
               MarketConfig{"ETH", Leverage{500}, Bps{150}, Bps{5'000}},
               MarketConfig{"SOL", Leverage{750}, Bps{150}, Bps{10'000}}};
  State s;
  int64_t seq = 0;
  auto ok = [&](EventBody body) {
    const std::string kind(kind_name(body));
    const auto r = apply(s, Event{++seq, Timestamp{k_t0 + seq}, std::move(body)});
    FUZZ_CHECK(r.has_value(), "building the pool: " + kind + ": " + r.error().message);
  };
  ok(JournalCreated{"# shock fuzz", "shock-fuzz", c});
  ok(PriceSet{"BTC", Price::whole(50'000)});
  ok(PriceSet{"ETH", Price::whole(3'000)});
  ok(PriceSet{"SOL", Price::whole(150)});
  ok(InsuranceDeposited{Usd(500 * k_usd), "operator"});
  ok(LpDeposited{"alice", Usd(100'000 * k_usd), ""});
  ok(LpDeposited{"bob", Usd(20'000 * k_usd), ""});
  ok(PositionOpened{"tom", "BTC", Side::long_, Usd(1'000 * k_usd), Usd(9'000 * k_usd), Leverage{0}, {}, {}});
  ok(PositionOpened{"ann", "BTC", Side::short_, Usd(1'000 * k_usd), Usd(5'000 * k_usd), Leverage{0}, {}, {}});
  ok(PositionOpened{"tom", "ETH", Side::long_, Usd(500 * k_usd), Usd(2'400 * k_usd), Leverage{0}, {}, {}});
  ok(PositionOpened{"ann", "SOL", Side::short_, Usd(300 * k_usd), Usd(2'000 * k_usd), Leverage{0}, {}, {}});
  return s;
}

std::string canonical(const Shock& s) {
  const int64_t mag = s.move.value < 0 ? -s.move.value : s.move.value;
  return s.market + "=" + (s.move.value < 0 ? "-" : "+") + format_decimal(mag, 2) + "%";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  static const State pool = make_pool();
  std::vector<std::string> texts;
  std::string_view rest = fuzz::as_text(data, size);
  while (!rest.empty() && texts.size() < 8) {
    const auto nl = rest.find('\n');
    texts.emplace_back(rest.substr(0, nl));
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
  }
  const auto shocks = cli::parse_shocks(pool.config, texts);
  if (!shocks) {
    FUZZ_CHECK(shocks.error().kind == ErrorKind::input, shocks.error().message);
    return 0;
  }
  FUZZ_CHECK(shocks->size() == texts.size(), "a shock lost");
  for (std::size_t i = 0; i < shocks->size(); ++i) {
    const Shock& s = (*shocks)[i];
    FUZZ_CHECK(pool.config.market(s.market) != nullptr, s.market);
    FUZZ_CHECK(s.move.value > -k_bps_scale, texts[i]);
    for (std::size_t j = 0; j < i; ++j) FUZZ_CHECK((*shocks)[j].market != s.market, texts[i]);
    const auto again = cli::parse_shock(pool.config, canonical(s));
    FUZZ_CHECK(again && again->market == s.market && again->move == s.move, texts[i] + " -> " + canonical(s));
  }
  const Timestamp at{k_t0 + 3'600};
  const auto report = shock_preview(pool, at, *shocks);
  if (!report) {
    const auto kind = report.error().kind;
    FUZZ_CHECK(kind == ErrorKind::input || kind == ErrorKind::rule, report.error().message);
  }
  return 0;
}
