// tests/lib/book_test.cpp: the books of lib/book.hpp with hand-computed numbers: the keys of a position
// (quantity, clamp prices, liquidation keys), the liquidation buckets, the clamp correction, the pool's
// unrealized result from the books' aggregates, and the liquidation candidates against a full scan.
//
// Units as in vault_test.cpp: USD amounts are micro-USD (1 USD = 1'000'000), prices have 8 decimals
// (30,000 = 3'000'000'000'000), K = 10^18 (quantities, clamp values in 10^-18 micro-USD, the borrow index).
// Unless a case says otherwise the config is SPEC's defaults: open and close fee 10 bps, liquidation fee
// 5 USD, borrow 100 bps + 2000 bps × utilization, fee split LP 70 / insurance 20 / treasury 10, max
// utilization 80%, max price age 300 s; markets BTC (10x, maintenance 100 bps, profit cap 100%) and ETH
// (5x, maintenance 150 bps, profit cap 50%).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "lib/book.hpp"
#include "lib/state.hpp"
#include "lib/vault.hpp"
#include "tests/lib/pool_fixture.hpp"

using namespace nexadex;
using namespace nexadex::test;

namespace {

// 128-bit values are compared as their decimal text (Catch cannot print an __int128).
std::string str(int128 v) { return format_int128(v); }

// A position built by hand (not through an event), its keys computed under `config`.
Position make(const Config& config, const std::string& market, Side side, int64_t size, int64_t collateral,
              int64_t entry, int64_t reserve, int128 index_open = 0, int64_t carried = 0) {
  Position p;
  p.id = 1;
  p.trader = "tom";
  p.market = market;
  p.side = side;
  p.size = Usd(size);
  p.collateral = Usd(collateral);
  p.entry = Price(entry);
  p.reserve = Usd(reserve);
  p.borrow_index_open = BorrowIndex(index_open);
  p.borrow_carried = Usd(carried);
  auto keys = position_keys(config, p);
  REQUIRE(keys.has_value());
  p.keys = *keys;
  return p;
}

// The ids of the open positions that margin() finds liquidatable at their market's latest price.
std::vector<int64_t> scan_liquidatable(const State& s) {
  std::vector<int64_t> ids;
  for (const auto& [id, p] : s.positions) {
    if (p.status != PositionStatus::open) continue;
    const auto m = vault::margin(s, p, s.markets.at(p.market).price);
    REQUIRE(m.has_value());
    if (m->liquidatable()) ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<int64_t> ids_of(const std::vector<const Position*>& ps) {
  std::vector<int64_t> ids;
  for (const Position* p : ps) ids.push_back(p->id);
  return ids;
}

bool contains(const std::vector<int64_t>& ids, int64_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// position_keys: quantity and the clamp prices.

TEST_CASE("position_keys: a long's quantity rounds up, bankrupt price floor, capped price ceil", "[book][keys]") {
  // BTC long: size s = 1,000 (10^9), collateral c = 100 (10^8), reserve r = 1,000 (10^9), entry 30,000
  // (e = 3×10^12), borrow index at open 0.
  const Position p = make(base_config(), "BTC", Side::long_, 1'000 * k_usd, 100 * k_usd, 3'000'000'000'000,
                          1'000 * k_usd);
  // q = ceil(s × K / e) = ceil(10^27 / (3×10^12)) = ceil(333,333,333,333,333.33…) = 333,333,333,333,334
  //   (= (10^15 + 2) / 3; a short would get …333)
  CHECK(str(p.keys.quantity) == "333333333333334");
  // bankrupt: below = floor(K × (s − c) / q) = floor(9×10^26 × 3 / (10^15 + 2)) = floor(2.7×10^12 − 0.0054)
  //   = 2,699,999,999,999 (26,999.99999999: one unit below the exact 27,000, because q rounded up)
  CHECK(p.keys.below == 2'699'999'999'999);
  // capped: above = ceil(K × (s + r) / q) = ceil(2×10^27 × 3 / (10^15 + 2)) = ceil(6×10^12 − 0.012)
  //   = 6,000,000,000,000 (60,000: +100% reaches the reserve)
  CHECK(p.keys.above == 6'000'000'000'000);
  // bucket of e = 3×10^12: bit width 42, leading 8 bits 3×10^12 >> 34 = 174 → 42 × 256 + 174 = 10,926
  CHECK(p.keys.bucket == 10'926);
}

TEST_CASE("position_keys: a short's quantity rounds down, capped price floor, bankrupt price ceil", "[book][keys]") {
  // ETH short: s = 1,000, c = 100, r = 500 (ETH's 50% cap), entry 3,000 (e = 3×10^11).
  const Position p = make(base_config(), "ETH", Side::short_, 1'000 * k_usd, 100 * k_usd, 300'000'000'000,
                          500 * k_usd);
  // q = floor(10^27 / (3×10^11)) = floor(3,333,333,333,333,333.33…) = 3,333,333,333,333,333 (= (10^16 − 1)/3)
  CHECK(str(p.keys.quantity) == "3333333333333333");
  // capped: below = floor(K × (s − r) / q) = floor(5×10^26 × 3 / (10^16 − 1)) = floor(1.5×10^11 + 0.000000015)
  //   = 150,000,000,000 (1,500: −50%)
  CHECK(p.keys.below == 150'000'000'000);
  // bankrupt: above = ceil(K × (s + c) / q) = ceil(1.1×10^27 × 3 / (10^16 − 1)) = ceil(3.3×10^11 + 0.000033)
  //   = 330,000,000,001 (3,300.00000001: one unit above the exact 3,300, because q rounded down)
  CHECK(p.keys.above == 330'000'000'001);
  // bucket of e = 3×10^11: bit width 39, 3×10^11 >> 31 = 139 → 39 × 256 + 139 = 10,123
  CHECK(p.keys.bucket == 10'123);
}

TEST_CASE("position_keys: a long with collateral ≥ size has no bankrupt price, a short with reserve ≥ size no "
          "capped price (key 0)", "[book][keys]") {
  // BTC long at 1x: s = c = 1,000, r = 1,000, entry 30,000: q = 333,333,333,333,334 as above.
  const Position l = make(base_config(), "BTC", Side::long_, 1'000 * k_usd, 1'000 * k_usd, 3'000'000'000'000,
                          1'000 * k_usd);
  // s > c fails: no price ≤ 0 → below = 0; above = ceil(K × 2×10^9 / q) = 6,000,000,000,000 as above
  CHECK(l.keys.below == 0);
  CHECK(l.keys.above == 6'000'000'000'000);
  // BTC short: s = 1,000, c = 100, r = 1,000 (BTC's 100% cap), entry 30,000:
  //   q = floor(10^27 / (3×10^12)) = 333,333,333,333,333 = (10^15 − 1)/3
  const Position s = make(base_config(), "BTC", Side::short_, 1'000 * k_usd, 100 * k_usd, 3'000'000'000'000,
                          1'000 * k_usd);
  CHECK(str(s.keys.quantity) == "333333333333333");
  // s > r fails: its profit reaches the reserve only at price 0 → below = 0
  CHECK(s.keys.below == 0);
  // above = ceil(K × 1.1×10^9 / q) = ceil(3.3×10^27 / (10^15 − 1)) = ceil(3.3×10^12 + 0.0033) = 3,300,000,000,001
  CHECK(s.keys.above == 3'300'000'000'001);
}

TEST_CASE("position_keys: liq and dead keys of a small position, as the formulas of book.cpp give them",
          "[book][keys]") {
  // One day at the base rate: I0 = floor(100 × 86,400 × 10^18 / (10^4 × 31,536,000)) = 27,397,260,273,972
  // (vault_test.cpp); carried 1,234 micro-USD from an earlier partial close.
  const int128 i0 = 27'397'260'273'972;
  SECTION("a BTC long") {
    // s = 300 (3×10^8), c = 30, r = 300, entry 50,000 (5×10^12).
    const Position p = make(base_config(), "BTC", Side::long_, 300 * k_usd, 30 * k_usd, 5'000'000'000'000,
                            300 * k_usd, i0, 1'234);
    // T = max(ceil(3×10^8 × 100 / 10^4), 5,000,000) = max(3,000,000, 5,000,000) = 5,000,000
    // cf = ceil(3×10^8 × 10 / 10^4) = 300,000
    // liq = ceil((T + cf + carried − c + s + 1) × 10^18 / s) − I0
    //     = ceil((5,000,000 + 300,000 + 1,234 − 30,000,000 + 300,000,000 + 1) × 10^18 / (3×10^8)) − I0
    //     = ceil(275,301,235 × 10^10 / 3) − I0 = ceil(917,670,783,333,333,333.33…) − I0
    //     = 917,670,783,333,333,334 − 27,397,260,273,972 = 917,643,386,073,059,362
    //   (a candidate at I = I0 below P/e ≈ 0.91767078: 45,883.54; its equity 30 + pnl − 0.3 − 0.001234
    //   is < 5 for pnl < −24.698766, i.e. below 50,000 × (1 − 24.698766/300) = 45,883.539)
    CHECK(p.keys.liq == 917'643'386'073'059'362);
    // dead = I0 + floor((c + r − cf − T − carried − 1) × 10^18 / s)
    //      = I0 + floor((30,000,000 + 300,000,000 − 300,000 − 5,000,000 − 1,234 − 1) × 10^10 / 3)
    //      = I0 + floor(324,698,765 × 10^10 / 3) = I0 + floor(1,082,329,216,666,666,666.67)
    //      = 27,397,260,273,972 + 1,082,329,216,666,666,666 = 1,082,356,613,926,940,638
    CHECK(p.keys.dead == 1'082'356'613'926'940'638);
    // q = 3×10^8 × 10^18 / (5×10^12) = 6×10^13 exactly; below = K × 2.7×10^8 / q = 4.5×10^12 (45,000),
    // above = K × 6×10^8 / q = 10^13 (100,000); bucket: bit width 43, 5×10^12 >> 35 = 145 → 11,153
    CHECK(str(p.keys.quantity) == "60000000000000");
    CHECK(p.keys.below == 4'500'000'000'000);
    CHECK(p.keys.above == 10'000'000'000'000);
    CHECK(p.keys.bucket == 11'153);
  }
  SECTION("an ETH short") {
    // s = 300, c = 30, r = 150 (50%), entry 3,000 (3×10^11).
    const Position p = make(base_config(), "ETH", Side::short_, 300 * k_usd, 30 * k_usd, 300'000'000'000,
                            150 * k_usd, i0, 1'234);
    // T = max(ceil(3×10^8 × 150 / 10^4), 5,000,000) = max(4,500,000, 5,000,000) = 5,000,000; cf = 300,000
    // liq = −(floor((c + s − T − cf − carried − 1) × 10^18 / s) + I0)
    //     = −(floor((30,000,000 + 300,000,000 − 5,000,000 − 300,000 − 1,234 − 1) × 10^10 / 3) + I0)
    //     = −(floor(324,698,765 × 10^10 / 3) + I0) = −(1,082,329,216,666,666,666 + 27,397,260,273,972)
    //     = −1,082,356,613,926,940,638
    CHECK(p.keys.liq == -1'082'356'613'926'940'638);
    // dead = I0 + floor((30,000,000 + 150,000,000 − 300,000 − 5,000,000 − 1,234 − 1) × 10^10 / 3)
    //      = I0 + floor(174,698,765 × 10^10 / 3) = I0 + floor(582,329,216,666,666,666.67)
    //      = 27,397,260,273,972 + 582,329,216,666,666,666 = 582,356,613,926,940,638
    CHECK(p.keys.dead == 582'356'613'926'940'638);
    // q = 3×10^8 × 10^18 / (3×10^11) = 10^15 exactly; below = K × 1.5×10^8 / q = 1.5×10^11 (1,500),
    // above = K × 3.3×10^8 / q = 3.3×10^11 (3,300)
    CHECK(str(p.keys.quantity) == "1000000000000000");
    CHECK(p.keys.below == 150'000'000'000);
    CHECK(p.keys.above == 330'000'000'000);
  }
}

// ---------------------------------------------------------------------------------------------
// Liquidation buckets: prices below 256 units one each, above the 8 leading bits (within 1/128).

TEST_CASE("price_bucket and bucket_range: small prices, powers of two and their neighbours", "[book][bucket]") {
  // e < 256: the bucket is the price itself, its range [e, e + 1)
  CHECK(price_bucket(Price(1)) == 1);
  CHECK(price_bucket(Price(0)) == 1);  // max(e, 1)
  CHECK(price_bucket(Price(255)) == 255);
  CHECK(bucket_range(255).lo == 255);
  CHECK(bucket_range(255).hi == 256);
  // 256 = 2^8: bit width 9, leading 8 bits 256 >> 1 = 128 → 9 × 256 + 128 = 2,432, range [128 << 1, 129 << 1)
  //   = [256, 258); 257 is in the same bucket, 258 >> 1 = 129 the next
  CHECK(price_bucket(Price(256)) == 2'432);
  CHECK(price_bucket(Price(257)) == 2'432);
  CHECK(price_bucket(Price(258)) == 2'433);
  CHECK(bucket_range(2'432).lo == 256);
  CHECK(bucket_range(2'432).hi == 258);
  // 511 = 2^9 − 1: bit width 9, 511 >> 1 = 255 → 2,559, range [510, 512); 512 = 2^9: width 10, 512 >> 2 = 128
  //   → 10 × 256 + 128 = 2,688, range [512, 516)
  CHECK(price_bucket(Price(511)) == 2'559);
  CHECK(bucket_range(2'559).lo == 510);
  CHECK(bucket_range(2'559).hi == 512);
  CHECK(price_bucket(Price(512)) == 2'688);
  CHECK(bucket_range(2'688).hi == 516);
  // 2^40 − 1 = 1,099,511,627,775: width 40, >> 32 = 255 → 40 × 256 + 255 = 10,495, range [255 × 2^32, 2^40)
  //   = [1,095,216,660,480, 1,099,511,627,776); 2^40: width 41, >> 33 = 128 → 10,624,
  //   [2^40, 129 × 2^33) = [1,099,511,627,776, 1,108,101,562,368)
  CHECK(price_bucket(Price((int64_t{1} << 40) - 1)) == 10'495);
  CHECK(str(bucket_range(10'495).lo) == "1095216660480");
  CHECK(str(bucket_range(10'495).hi) == "1099511627776");
  CHECK(price_bucket(Price(int64_t{1} << 40)) == 10'624);
  CHECK(str(bucket_range(10'624).lo) == "1099511627776");
  CHECK(str(bucket_range(10'624).hi) == "1108101562368");
  // BTC 50,000 = 5×10^12: width 43, >> 35 = 145 → 11,153, [145 × 2^35, 146 × 2^35)
  //   = [4,982,162,063,360, 5,016,521,801,728)
  CHECK(price_bucket(Price(5'000'000'000'000)) == 11'153);
  CHECK(str(bucket_range(11'153).lo) == "4982162063360");
  CHECK(str(bucket_range(11'153).hi) == "5016521801728");
  // the largest price 2^63 − 1: width 63, >> 55 = 255 → 63 × 256 + 255 = 16,383, hi = 256 × 2^55 = 2^63
  CHECK(price_bucket(Price(INT64_MAX)) == 16'383);
  CHECK(str(bucket_range(16'383).hi) == "9223372036854775808");
}

TEST_CASE("every entry lies in its bucket, lo <= entry < hi, and hi/lo ≤ 129/128 above 255 units", "[book][bucket]") {
  // lo = m × 2^(n−8), hi = (m + 1) × 2^(n−8) with m ≥ 128: hi/lo = (m + 1)/m ≤ 129/128. Below 256 units a
  // bucket holds one price (hi − lo = 1). Checked on every price up to 70,000 units and around each power
  // of two, plus a multiplicative walk up to 2^63.
  std::vector<int64_t> prices;
  for (int64_t e = 1; e <= 70'000; ++e) prices.push_back(e);
  for (int k = 8; k <= 62; ++k) {
    for (int64_t d = -3; d <= 3; ++d) prices.push_back((int64_t{1} << k) + d);
  }
  for (int64_t e = 70'001; e < INT64_MAX / 2; e = e + e / 7 + 13) prices.push_back(e);
  prices.push_back(INT64_MAX);
  int failures = 0;
  for (const int64_t e : prices) {
    const int64_t b = price_bucket(Price(e));
    const BucketRange r = bucket_range(b);
    bool good = r.lo <= e && e < r.hi;
    if (e < 256) {
      good = good && r.hi - r.lo == 1;
    } else {
      good = good && 128 * r.hi <= 129 * r.lo && r.lo >= 256;
      // the ends of the range belong to the bucket, their neighbours outside it do not
      good = good && price_bucket(Price(static_cast<int64_t>(r.lo))) == b &&
             price_bucket(Price(static_cast<int64_t>(r.hi - 1))) == b &&
             price_bucket(Price(static_cast<int64_t>(r.lo - 1))) != b;
      if (r.hi <= INT64_MAX) good = good && price_bucket(Price(static_cast<int64_t>(r.hi))) != b;
    }
    if (!good && ++failures <= 5) FAIL_CHECK("entry " << e << " bucket " << b << " [" << str(r.lo) << ", " << str(r.hi) << ")");
  }
  CHECK(failures == 0);
}

// ---------------------------------------------------------------------------------------------
// clamp_correction: clamp(v, −K·r, K·c) − v.

TEST_CASE("clamp_correction: a long past bankruptcy, past its cap, and in the linear region", "[book][clamp]") {
  // The long of the first case: s = 1,000, c = 100, r = 1,000, entry 30,000, q = (10^15 + 2)/3.
  // v = K × s − P × q = 10^27 − P × (10^15 + 2)/3.
  const Position p = make(base_config(), "BTC", Side::long_, 1'000 * k_usd, 100 * k_usd, 3'000'000'000'000,
                          1'000 * k_usd);
  SECTION("past bankruptcy: value clamped at K·c") {
    // P = 26,000: P × q = (2.6×10^27 + 5.2×10^12)/3 = 866,666,666,666,668,400,000,000,000
    //   v = 133,333,333,333,331,600,000,000,000 (a loss of 133.33 > c = 100) → clamped at 10^26
    //   correction = 10^26 − v = −33,333,333,333,331,600,000,000,000
    const Price price(2'600'000'000'000);
    CHECK(str(position_linear_value(p, price).value()) == "133333333333331600000000000");
    CHECK(str(clamp_correction(p, price, (p).reserve.units()).value()) == "-33333333333331600000000000");
    CHECK(str(position_linear_value(p, price).value() + clamp_correction(p, price, (p).reserve.units()).value()) ==
          "100000000000000000000000000");
  }
  SECTION("past its cap: value clamped at −K·r") {
    // P = 61,000: P × q = (6.1×10^27 + 1.22×10^13)/3 = 2,033,333,333,333,337,400,000,000,000
    //   v = −1,033,333,333,333,337,400,000,000,000 (a profit of 1,033.33 > r = 1,000) → clamped at −10^27
    //   correction = −10^27 − v = 33,333,333,333,337,400,000,000,000
    const Price price(6'100'000'000'000);
    CHECK(str(position_linear_value(p, price).value()) == "-1033333333333337400000000000");
    CHECK(str(clamp_correction(p, price, (p).reserve.units()).value()) == "33333333333337400000000000");
    CHECK(str(position_linear_value(p, price).value() + clamp_correction(p, price, (p).reserve.units()).value()) ==
          "-1000000000000000000000000000");
  }
  SECTION("in the linear region: no correction") {
    // P = 30,000 (the entry): P × q = 10^27 + 2×10^12, v = −2×10^12 (0.000002 micro-USD of profit: q rounded up)
    const Price price(3'000'000'000'000);
    CHECK(str(position_linear_value(p, price).value()) == "-2000000000000");
    CHECK(str(clamp_correction(p, price, (p).reserve.units()).value()) == "0");
  }
  SECTION("the keys are tight: clamped at `below` and `above`, not one unit inside") {
    // P = below = 2,699,999,999,999: P × q = (9×10^26 + 1.8×10^12) − q = 9×10^26 − 331,533,333,333,334,
    //   v = 10^26 + 331,533,333,333,334 > K·c → correction −331,533,333,333,334
    CHECK(str(clamp_correction(p, Price(2'699'999'999'999), (p).reserve.units()).value()) == "-331533333333334");
    // P = 2,700,000,000,000: v = 10^26 − 1.8×10^12 < K·c → 0
    CHECK(str(clamp_correction(p, Price(2'700'000'000'000), (p).reserve.units()).value()) == "0");
    // P = above = 6×10^12: P × q = 2×10^27 + 4×10^12, v = −10^27 − 4×10^12 → correction 4×10^12
    CHECK(str(clamp_correction(p, Price(6'000'000'000'000), (p).reserve.units()).value()) == "4000000000000");
    // P = 5,999,999,999,999: v = −10^27 − 4×10^12 + q = −999,999,999,999,670,666,666,666,666 > −K·r → 0
    CHECK(str(clamp_correction(p, Price(5'999'999'999'999), (p).reserve.units()).value()) == "0");
  }
  SECTION("a short past bankruptcy") {
    // The ETH short of the second case: s = 1,000, c = 100, r = 500, q = (10^16 − 1)/3; v = P × q − K × s.
    const Position sh = make(base_config(), "ETH", Side::short_, 1'000 * k_usd, 100 * k_usd, 300'000'000'000,
                             500 * k_usd);
    // P = 3,600: P × q = 1.2×10^27 − 1.2×10^11, v = 2×10^26 − 1.2×10^11 → clamped at 10^26:
    //   correction = 10^26 − v = −99,999,999,999,999,880,000,000,000
    CHECK(str(clamp_correction(sh, Price(360'000'000'000), (sh).reserve.units()).value()) == "-99999999999999880000000000");
    // P = above − 1 = 3,300: v = 1.1×10^27 − 1.1×10^11 − 10^27 = 10^26 − 1.1×10^11 < K·c → 0;
    // P = above = 3,300.00000001: v = 10^26 − 1.1×10^11 + q > K·c → −(q − 1.1×10^11) = −3,333,223,333,333,333
    CHECK(str(clamp_correction(sh, Price(330'000'000'000), (sh).reserve.units()).value()) == "0");
    CHECK(str(clamp_correction(sh, Price(330'000'000'001), (sh).reserve.units()).value()) == "-3333223333333333");
    // its capped price below = 1,500: v = 5×10^26 − 5×10^10 − 10^27 = −5×10^26 − 5×10^10 → +5×10^10;
    // one unit above it: v = −5×10^26 − 5×10^10 + q > −K·r → 0
    CHECK(str(clamp_correction(sh, Price(150'000'000'000), (sh).reserve.units()).value()) == "50000000000");
    CHECK(str(clamp_correction(sh, Price(150'000'000'001), (sh).reserve.units()).value()) == "0");
  }
}

// ---------------------------------------------------------------------------------------------
// vault::unrealized from the books (DESIGN-risk §4): floor(Σ clamp(v, −K·r, K·c) / K), one floor for the pool.

TEST_CASE("unrealized: floor of the books' sum, one position clamped, a micro-unit above the per-position floors",
          "[book][unrealized]") {
  // ann deposits 100,000.
  //   P1: tom, BTC long at 30,000, collateral 101, size 1,000: open fee 1 → c1 = 100, r1 = 1,000,
  //       q1 = ceil(10^27 / (3×10^12)) = (10^15 + 2)/3 = 333,333,333,333,334
  //   P2: amy, BTC long at 35,000, collateral 51, size 500: fee 0.5 → c2 = 50.5, r2 = 500,
  //       q2 = ceil(5×10^26 / (3.5×10^12)) = ceil(10^15 / 7) = (10^15 + 1)/7 = 142,857,142,857,143
  //   P3: bob, ETH long at 3,000, collateral 201, size 1,000: fee 1 → c3 = 200, r3 = 500 (50%),
  //       q3 = ceil(10^27 / (3×10^11)) = (10^16 + 2)/3 = 3,333,333,333,333,334
  // Then BTC 31,500 and ETH 4,800:
  //   v1 = 10^27 − 3.15×10^12 × (10^15 + 2)/3 = 10^27 − (1.05×10^27 + 2.1×10^12) = −(5×10^25 + 2.1×10^12)
  //      (a profit of 50,000,000.0000021 micro-USD: linear, 26,999.99999999 < 31,500 < 60,000)
  //   v2 = 5×10^26 − 3.15×10^12 × (10^15 + 1)/7 = 5×10^26 − (4.5×10^26 + 4.5×10^11) = 5×10^25 − 4.5×10^11
  //      (a loss of 49,999,999.99999955 micro-USD < c2 = 50.5 USD: linear; its bankrupt price is
  //      floor(K × 4.495×10^8 / q2) = 3,146,499,999,999, below 31,500)
  //   v3 = 10^27 − 4.8×10^11 × (10^16 + 2)/3 = −6×10^26 − 3.2×10^11, a profit of 600 > r3 = 500: clamped at −5×10^26
  //   Σ = −5×10^25 − 2.1×10^12 + 5×10^25 − 4.5×10^11 − 5×10^26 = −5×10^26 − 2,550,000,000,000
  //   U = floor(Σ / 10^18) = floor(−500,000,000.00000255) = −500,000,001
  //   per-position floors: floor(v1/K) = floor(−50,000,000.0000021) = −50,000,001,
  //     floor(v2/K) = floor(49,999,999.99999955) = 49,999,999, v3/K = −500,000,000: Σ = −500,000,002,
  //     one micro-unit below U (the pool floors once).
  // These are rules 1 (journals made before rules versions); rules 2 value the same books exactly (below).
  Pool b;
  b.s.rules = 1;
  b.price("BTC", Price::whole(30'000));
  b.price("ETH", Price::whole(3'000));
  b.deposit("ann", 100'000 * k_usd);
  const int64_t p1 = b.open("tom", "BTC", Side::long_, 101 * k_usd, 1'000 * k_usd);
  b.price("BTC", Price::whole(35'000));
  const int64_t p2 = b.open("amy", "BTC", Side::long_, 51 * k_usd, 500 * k_usd);
  const int64_t p3 = b.open("bob", "ETH", Side::long_, 201 * k_usd, 1'000 * k_usd);
  CHECK(b.pos(p1).collateral.units() == 100 * k_usd);
  CHECK(b.pos(p2).collateral.units() == 50'500'000);
  CHECK(b.pos(p3).reserve.units() == 500 * k_usd);
  CHECK(str(b.pos(p1).keys.quantity) == "333333333333334");
  CHECK(str(b.pos(p2).keys.quantity) == "142857142857143");
  CHECK(str(b.pos(p3).keys.quantity) == "3333333333333334");
  b.price("BTC", Price::whole(31'500));
  b.price("ETH", Price::whole(4'800));

  // The books: BTC long Σ size 1,500, Σ q = q1 + q2 = 476,190,476,190,477; ETH long Σ size 1,000, Σ q = q3.
  const BookKey btc{"BTC", Side::long_}, eth{"ETH", Side::long_};
  REQUIRE(b.s.books.size() == 2);
  CHECK(b.s.books.at(btc).open == 2);
  CHECK(str(b.s.books.at(btc).size) == "1500000000");
  CHECK(str(b.s.books.at(btc).quantity) == "476190476190477");
  // BTC book linear value = v1 + v2 = −2,550,000,000,000; ETH book linear value = v3 = −6×10^26 − 3.2×10^11
  CHECK(str(book_linear_value(btc, b.s.books.at(btc), Price::whole(31'500)).value()) == "-2550000000000");
  CHECK(str(book_linear_value(eth, b.s.books.at(eth), Price::whole(4'800)).value()) ==
        "-600000000000000320000000000");
  // Clamp candidates: none in BTC (P1 keys 2,699,999,999,999 / 6×10^12, P2 3,146,499,999,999 /
  // ceil(K × 10^9 / q2) = 7×10^12, all on the linear side of 31,500); in ETH P3, its above key
  // ceil(K × 1.5×10^9 / q3) = ceil(4.5×10^11 − tiny) = 450,000,000,000 ≤ 4,800.
  CHECK(b.pos(p2).keys.below == 3'146'499'999'999);
  CHECK(b.pos(p3).keys.above == 450'000'000'000);
  CHECK(ids_of(clamp_candidates(b.s, btc, Price::whole(31'500)).value()).empty());
  CHECK(ids_of(clamp_candidates(b.s, eth, Price::whole(4'800)).value()) == std::vector<int64_t>{p3});
  // P3's correction −5×10^26 − v3 = 10^26 + 3.2×10^11
  CHECK(str(clamp_correction(b.pos(p3), Price::whole(4'800), (b.pos(p3)).reserve.units()).value()) == "100000000000000320000000000");

  CHECK(vault::unrealized_floor(b.s).value() == Usd(-500'000'001));
  int64_t per_position = 0;
  for (const int64_t id : {p1, p2, p3}) {
    const Price price = b.s.markets.at(b.pos(id).market).price;
    const int128 v = position_linear_value(b.pos(id), price).value() + clamp_correction(b.pos(id), price, (b.pos(id)).reserve.units()).value();
    per_position += static_cast<int64_t>(v / k_quantity_scale - (v % k_quantity_scale < 0 ? 1 : 0));
  }
  CHECK(per_position == -500'000'002);
  // NAV = LP capital + U: LP capital = 100,000 + the LPs' 70% of the open fees (0.7 + 0.35 + 0.7)
  //   = 100,001.75 → 100,001,750,000 − 500,000,001 = 99,501,749,999
  CHECK(b.s.vault.lp_capital()->units() == 100'001'750'000);
  CHECK(vault::nav_floor(b.s).value() == Usd(99'501'749'999));
  // Rules 2 (nav_test.cpp): the exact PnL, floored once. P1 1,000 × 1,500 / 30,000 = 50 profit, P2
  // 500 × 3,500 / 35,000 = 50 loss, P3 600 profit capped at 500: U = −50 + 50 − 500 = −500 exactly,
  // NAV = 100,001,750,000 − 500,000,000 = 99,501,750,000.
  b.s.rules = 2;
  CHECK(vault::unrealized_floor(b.s).value() == Usd(-500'000'000));
  CHECK(vault::nav_floor(b.s).value() == Usd(99'501'750'000));
}

// ---------------------------------------------------------------------------------------------
// Liquidation candidates: the exact boundaries, the borrow fee, and a full scan.

TEST_CASE("liquidation boundary: equity = threshold is healthy, one price unit worse is liquidatable and a "
          "candidate", "[book][liquidate]") {
  // ann deposits 10,000; BTC 10,000 (e = 10^12). tom long, amy short, each collateral 11, size 100:
  //   open fee ceil(10^8 × 10 / 10^4) = 0.1 → c = 10.9; T = max(ceil(10^8 × 100 / 10^4) = 1, 5) = 5;
  //   close fee 0.1; no borrow fee (no time passes).
  //   long:  pnl = floor(10^8 × (P − 10^12) / 10^12) = floor((P − 10^12) / 10^4);
  //          equity = 10,900,000 + pnl − 100,000 = 5,000,000 ⟺ pnl = −5,800,000 ⟸ P = 10^12 − 5.8×10^10 = 9,420
  //          P = 9,419.99999999: pnl = floor(−5,800,000.0001) = −5,800,001, equity 4,999,999 < T
  //   short: pnl = floor((10^12 − P) / 10^4) = −5,800,000 at P = 10,580; at 10,580.00000001 −5,800,001.
  Pool b;
  b.price("BTC", Price::whole(10'000));
  b.deposit("ann", 10'000 * k_usd);
  const int64_t lo = b.open("tom", "BTC", Side::long_, 11 * k_usd, 100 * k_usd);
  const int64_t sh = b.open("amy", "BTC", Side::short_, 11 * k_usd, 100 * k_usd);
  const BookKey lbook{"BTC", Side::long_}, sbook{"BTC", Side::short_};

  b.price("BTC", Price(942'000'000'000));
  auto m = vault::margin(b.s, b.pos(lo), Price(942'000'000'000)).value();
  CHECK(m.pnl == Usd(-5'800'000));
  CHECK(m.equity == Usd(5'000'000));
  CHECK(m.threshold == Usd(5'000'000));
  CHECK(vault::liquidatable(b.s, "").value().empty());

  b.price("BTC", Price(941'999'999'999));
  m = vault::margin(b.s, b.pos(lo), Price(941'999'999'999)).value();
  CHECK(m.pnl == Usd(-5'800'001));
  CHECK(m.equity == Usd(4'999'999));
  CHECK(vault::liquidatable(b.s, "").value() == std::vector<int64_t>{lo});
  // through its liq key: liq = ceil((5,000,000 + 100,000 + 0 − 10,900,000 + 100,000,000 + 1) × 10^10) − 0
  //   = 942,000,010,000,000,000; bucket of 10^12: width 40, >> 32 = 232 → 10,472, hi = 233 × 2^32
  //   = 1,000,727,379,968; bound = floor(941,999,999,999 × 10^18 / 1,000,727,379,968) − 0 + 1
  //   = 941,315,306,101,769,785 ≤ liq
  CHECK(b.pos(lo).keys.liq == 942'000'010'000'000'000);
  CHECK(b.pos(lo).keys.bucket == 10'472);
  CHECK(liquidation_bound(Side::long_, 10'472, Price(941'999'999'999), 0) == 941'315'306'101'769'785);
  CHECK(contains(ids_of(liquidation_candidates(b.s, lbook, Price(941'999'999'999)).value()), lo));

  b.price("BTC", Price(1'058'000'000'000));
  m = vault::margin(b.s, b.pos(sh), Price(1'058'000'000'000)).value();
  CHECK(m.pnl == Usd(-5'800'000));
  CHECK(m.equity == Usd(5'000'000));
  CHECK(vault::liquidatable(b.s, "").value().empty());

  b.price("BTC", Price(1'058'000'000'001));
  m = vault::margin(b.s, b.pos(sh), Price(1'058'000'000'001)).value();
  CHECK(m.pnl == Usd(-5'800'001));
  CHECK(m.equity == Usd(4'999'999));
  CHECK(vault::liquidatable(b.s, "").value() == std::vector<int64_t>{sh});
  // short: liq = −floor((10,900,000 + 100,000,000 − 5,000,000 − 100,000 − 0 − 1) × 10^10) = −1,057,999,990,000,000,000;
  //   lo = 232 × 2^32 = 996,432,412,672; bound = −ceil(1,058,000,000,001 × 10^18 / 996,432,412,672) + 1
  //   = −1,061,788,021,491,495,250 ≤ liq
  CHECK(b.pos(sh).keys.liq == -1'057'999'990'000'000'000);
  CHECK(liquidation_bound(Side::short_, 10'472, Price(1'058'000'000'001), 0) == -1'061'788'021'491'495'250);
  CHECK(contains(ids_of(liquidation_candidates(b.s, sbook, Price(1'058'000'000'001)).value()), sh));
}

namespace {

// Borrow at a flat 100% a year (slope 0): Δindex = floor(10,000 × Δt × 10^18 / (10^4 × 31,536,000))
// = floor(Δt × 10^18 / 31,536,000), whatever the utilization.
Config flat_rate_config() {
  Config c = base_config();
  c.fees.borrow_base_apr_bps = Bps{10'000};
  c.fees.borrow_slope_apr_bps = Bps{0};
  c.pool.max_price_age = Duration{1'000'000'000};
  return c;
}

// ann deposits 10,000 at t0; at BTC 30,000 tom opens a long of size 1,000 with collateral 101 (c = 100,
// r = 1,000); at ETH 3,000 bob opens a long of size 1,000 with collateral 201 (c = 200, r = 500); ETH
// then goes to 6,000 (+100%: pnl 1,000, capped at 500). All at t0, so both positions open at index 0.
struct FeePool {
  Pool b{flat_rate_config()};
  int64_t btc = 0, eth = 0;
  FeePool() {
    b.price("BTC", Price::whole(30'000));
    b.price("ETH", Price::whole(3'000));
    b.deposit("ann", 10'000 * k_usd);
    btc = b.open("tom", "BTC", Side::long_, 101 * k_usd, 1'000 * k_usd);
    eth = b.open("bob", "ETH", Side::long_, 201 * k_usd, 1'000 * k_usd);
    b.price("ETH", Price::whole(6'000));
  }
  // A price event at t0 + dt (the index grows first), prices unchanged.
  void at(int64_t dt) {
    b.at(dt);
    b.price("BTC", Price::whole(30'000));
  }
};

}  // namespace

TEST_CASE("the borrow fee alone, at an unchanged price, makes a position liquidatable (liq key)",
          "[book][liquidate][borrow]") {
  // BTC long at its entry: pnl 0, equity = 100 − close fee 1 − due; T = max(10, 5) = 10:
  //   liquidatable ⟺ due > 89 ⟺ ceil(10^9 × I / 10^18) > 89,000,000 ⟺ I > 89×10^15.
  //   Δt = 0.089 × 31,536,000 = 2,806,704 s: I = floor(2,806,704 × 10^18 / 31,536,000) = 89×10^15 exactly
  //   → due 89, equity 10 = T: healthy. One second later: I = 89×10^15 + floor(10^18 / 31,536,000)
  //   = 89,000,031,709,791,983 → due = ceil(10^9 × I / 10^18) = ceil(89,000,031.709…) = 89,000,032 (the index
  //   grows by 31.7 micro-USD a second on this size), equity 100 − 1 − 89.000032 = 9.999968 < T.
  FeePool f;
  f.at(2'806'704);
  CHECK(f.b.s.vault.borrow_index == BorrowIndex(89'000'000'000'000'000));
  auto m = vault::margin(f.b.s, f.b.pos(f.btc), Price::whole(30'000)).value();
  CHECK(m.borrow_fee.units() == 89 * k_usd);
  CHECK(m.equity == Usd(10 * k_usd));
  CHECK(vault::liquidatable(f.b.s, "").value().empty());
  CHECK(vault::liquidatable(f.b.s, "").value() == scan_liquidatable(f.b.s));

  f.at(2'806'705);
  CHECK(f.b.s.vault.borrow_index == BorrowIndex(89'000'031'709'791'983));
  m = vault::margin(f.b.s, f.b.pos(f.btc), Price::whole(30'000)).value();
  CHECK(m.borrow_fee.units() == 89'000'032);
  CHECK(m.equity == Usd(9'999'968));
  CHECK(vault::liquidatable(f.b.s, "").value() == std::vector<int64_t>{f.btc});
  // Found through its liq key (the price is the entry's): liq = ceil((10,000,000 + 1,000,000 + 0 − 100,000,000
  //   + 1,000,000,000 + 1) × 10^9) − 0 = 911,000,001,000,000,000; bucket 10,926 (hi = 175 × 2^34
  //   = 3,006,477,107,200): bound = floor(3×10^12 × 10^18 / 3,006,477,107,200) − I + 1
  //   = 997,845,615,659,441,266 − 89,000,031,709,791,983 + 1 = 908,845,583,949,649,284 ≤ liq;
  //   its dead key is not reached: dead = 0 + floor((100,000,000 + 1,000,000,000 − 1,000,000 − 10,000,000
  //   − 0 − 1) × 10^18 / 10^9) = 1,088,999,999 × 10^9 = 1,088,999,999,000,000,000 > I − 1.
  CHECK(f.b.pos(f.btc).keys.liq == 911'000'001'000'000'000);
  CHECK(liquidation_bound(Side::long_, 10'926, Price::whole(30'000), f.b.s.vault.borrow_index.units()) ==
        908'845'583'949'649'284);
  CHECK(f.b.pos(f.btc).keys.dead == 1'088'999'999'000'000'000);
  CHECK(f.b.pos(f.btc).keys.dead > dead_bound(f.b.s.vault.borrow_index.units()));
  CHECK(contains(ids_of(liquidation_candidates(f.b.s, BookKey{"BTC", Side::long_}, Price::whole(30'000)).value()),
                 f.btc));
}

TEST_CASE("the borrow fee alone makes a position in (capped) profit liquidatable: the dead key",
          "[book][liquidate][borrow]") {
  // ETH long at 6,000: pnl = 1,000 > r = 500, so equity = 200 + 500 − close fee 1 − due;
  //   T = max(ceil(10^9 × 150 / 10^4) = 15, 5) = 15: liquidatable ⟺ due > 684 ⟺ I > 684×10^15.
  //   Δt = 0.684 × 31,536,000 = 21,570,624 s: I = 684×10^15 exactly → due 684, equity 15 = T: healthy.
  //   One second later I = 684×10^15 + floor(10^18 / 31,536,000) = 684,000,031,709,791,983
  //   → due = ceil(684,000,031.709…) = 684,000,032, equity 200 + 500 − 1 − 684.000032 = 14.999968 < T.
  // dead = 0 + floor((200,000,000 + 500,000,000 − 1,000,000 − 15,000,000 − 0 − 1) × 10^18 / 10^9)
  //      = 683,999,999 × 10^9 = 683,999,999,000,000,000 ≤ dead_bound = I − 1.
  // Its liq key does not find it: liq = ceil((15,000,000 + 1,000,000 − 200,000,000 + 1,000,000,000 + 1) × 10^9)
  //   = 816,000,001,000,000,000; bucket of 3×10^11 is 10,123 with hi = 140 × 2^31 = 300,647,710,720:
  //   bound = floor(6×10^11 × 10^18 / 300,647,710,720) − I + 1 = 1,995,691,231,318,882,533
  //   − 684,000,031,709,791,983 + 1 = 1,311,691,199,609,090,551 > liq.
  FeePool f;
  const BookKey eth{"ETH", Side::long_};
  CHECK(f.b.pos(f.eth).keys.dead == 683'999'999'000'000'000);
  CHECK(f.b.pos(f.eth).keys.liq == 816'000'001'000'000'000);
  CHECK(f.b.pos(f.eth).keys.bucket == 10'123);

  f.at(21'570'624);
  CHECK(f.b.s.vault.borrow_index == BorrowIndex(684'000'000'000'000'000));
  auto m = vault::margin(f.b.s, f.b.pos(f.eth), Price::whole(6'000)).value();
  CHECK(m.pnl == Usd(1'000 * k_usd));
  CHECK(m.borrow_fee.units() == 684 * k_usd);
  CHECK(m.equity == Usd(15 * k_usd));
  CHECK_FALSE(m.liquidatable());
  // the BTC long (due 684 at its entry price) is long past its own boundary
  CHECK(vault::liquidatable(f.b.s, "").value() == std::vector<int64_t>{f.btc});

  f.at(21'570'625);
  const int128 index = f.b.s.vault.borrow_index.units();
  CHECK(index == static_cast<int128>(684'000'031'709'791'983));
  m = vault::margin(f.b.s, f.b.pos(f.eth), Price::whole(6'000)).value();
  CHECK(m.borrow_fee.units() == 684'000'032);
  CHECK(m.equity == Usd(14'999'968));
  CHECK(vault::liquidatable(f.b.s, "").value() == std::vector<int64_t>{f.btc, f.eth});
  CHECK(vault::liquidatable(f.b.s, "ETH").value() == std::vector<int64_t>{f.eth});
  CHECK(liquidation_bound(Side::long_, 10'123, Price::whole(6'000), index) == 1'311'691'199'609'090'551);
  CHECK(f.b.pos(f.eth).keys.liq < liquidation_bound(Side::long_, 10'123, Price::whole(6'000), index));
  CHECK(f.b.pos(f.eth).keys.dead <= dead_bound(index));
  CHECK(contains(ids_of(liquidation_candidates(f.b.s, eth, Price::whole(6'000)).value()), f.eth));
}

TEST_CASE("vault::liquidatable equals a scan of every open position, over a price grid and a growing borrow index",
          "[book][liquidate][scan]") {
  // Three markets: BTC and ETH as usual, MEME (5x, maintenance 200 bps, profit cap 30%) priced around
  // 0.00000256 so that its entries straddle the one-price buckets (< 256 units) and the first shared one.
  // LP capital 15,000 against reserves of about 9,500 keeps the utilization near 60%, so that the index
  // grows by about 13% a year (100 + 2,000 × 60% bps) and, after decades, the borrow fee alone liquidates positions in capped profit.
  Config config = base_config();
  config.markets.push_back(MarketConfig{"MEME", Leverage{500}, Bps{200}, Bps{3'000}});
  config.pool.max_price_age = Duration{2'000'000'000};
  Pool b(config);
  b.price("BTC", Price::whole(30'000));
  b.price("ETH", Price::whole(3'000));
  b.price("MEME", Price(200));
  b.deposit("ann", 15'000 * k_usd);
  std::vector<int64_t> ids;
  ids.push_back(b.open("t1", "BTC", Side::long_, 101 * k_usd, 1'000 * k_usd));
  ids.push_back(b.open("t2", "BTC", Side::short_, 250 * k_usd, 2'000 * k_usd));
  ids.push_back(b.open("t3", "BTC", Side::long_, 500 * k_usd, 500 * k_usd));
  b.price("BTC", Price(3'005'000'000'000));  // 30,050: same bucket as 30,000 (>> 34 = 174)
  ids.push_back(b.open("t4", "BTC", Side::long_, 400 * k_usd, 3'000 * k_usd));
  ids.push_back(b.open("t5", "BTC", Side::short_, 120 * k_usd, 1'000 * k_usd));
  b.price("BTC", Price::whole(31'000));
  ids.push_back(b.open("t6", "BTC", Side::long_, 80 * k_usd, 700 * k_usd));
  ids.push_back(b.open("e1", "ETH", Side::long_, 201 * k_usd, 1'000 * k_usd));
  ids.push_back(b.open("e2", "ETH", Side::short_, 300 * k_usd, 1'000 * k_usd));
  b.price("ETH", Price::whole(2'950));
  ids.push_back(b.open("e3", "ETH", Side::short_, 90 * k_usd, 400 * k_usd));
  ids.push_back(b.open("m1", "MEME", Side::long_, 30 * k_usd, 100 * k_usd));
  b.price("MEME", Price(255));
  ids.push_back(b.open("m2", "MEME", Side::short_, 30 * k_usd, 100 * k_usd));
  b.price("MEME", Price(256));
  ids.push_back(b.open("m3", "MEME", Side::long_, 25 * k_usd, 100 * k_usd));
  b.price("MEME", Price(300));
  ids.push_back(b.open("m4", "MEME", Side::short_, 40 * k_usd, 100 * k_usd));
  REQUIRE(b.s.books.size() == 6);

  int compared = 0, liquidatable_seen = 0, filtered = 0, capped_by_fee = 0;
  std::set<int64_t> ever;
  const auto compare = [&] {
    const std::vector<int64_t> scan = scan_liquidatable(b.s);
    const std::vector<int64_t> got = vault::liquidatable(b.s, "").value();
    ++compared;
    if (got != scan) {
      FAIL_CHECK("at step " << compared << " (index " << str(b.s.vault.borrow_index.units()) << ", BTC "
                            << to_string(b.s.markets.at("BTC").price) << ", ETH "
                            << to_string(b.s.markets.at("ETH").price) << ", MEME "
                            << to_string(b.s.markets.at("MEME").price) << "): " << got.size() << " found, "
                            << scan.size() << " by the scan");
    }
    liquidatable_seen += static_cast<int>(scan.size());
    ever.insert(scan.begin(), scan.end());
    size_t candidates = 0, open = 0;
    for (const auto& [key, book] : b.s.books) {
      candidates += liquidation_candidates(b.s, key, b.s.markets.at(key.market).price).value().size();
      open += static_cast<size_t>(book.open);
    }
    if (candidates < open) ++filtered;
    for (const int64_t id : scan) {
      const Position& p = b.pos(id);
      const auto m = vault::margin(b.s, p, b.s.markets.at(p.market).price).value();
      if (m.pnl >= p.reserve) ++capped_by_fee;
    }
  };
  // One pass: a grid of prices (odd steps, so that the units vary), then each position's liquidation
  // price and its neighbours, market by market.
  const auto pass = [&] {
    for (int64_t k = 0; k <= 120; ++k) {
      b.price("BTC", Price(2'200'000'000'000 + k * 14'634'000'001));  // 22,000 … 39,560.8
      b.price("ETH", Price(220'000'000'000 + k * 1'463'400'007));     // 2,200 … 3,956.08
      b.price("MEME", Price(120 + 2 * k + (k % 3)));                   // 0.0000012 … 0.00000362
      compare();
    }
    for (const int64_t id : ids) {
      const Position& p = b.pos(id);
      if (p.status != PositionStatus::open) continue;
      const int64_t lp = vault::liquidation_price(b.s, p).value().units();
      for (int64_t d = -2; d <= 2; ++d) {
        if (lp + d <= 0) continue;
        b.price(p.market, Price(lp + d));
        compare();
      }
    }
  };
  pass();
  int64_t t = 0;
  for (const int64_t step : {30 * k_day, 335 * k_day, 730 * k_day, 1'825 * k_day, 3'650 * k_day, 7'300 * k_day}) {
    t += step;
    b.at(t);
    b.price("BTC", Price::whole(30'000));
    if (t == 30 * k_day) {
      // a partial close carries part of the borrow fee and restarts the position at the current index
      b.price("BTC", Price::whole(30'500));
      b.ok(PositionClosed{ids[3], Usd(1'000 * k_usd)});
      CHECK(b.pos(ids[3]).borrow_carried.is_positive());
    }
    pass();
  }
  INFO("compared " << compared << " states; " << liquidatable_seen << " liquidatable positions; " << filtered
                   << " states with fewer candidates than open positions; " << capped_by_fee
                   << " liquidatable in capped profit");
  CHECK(compared > 500);
  CHECK(liquidatable_seen > 0);
  CHECK(filtered > 0);           // the keys do filter
  CHECK(capped_by_fee > 0);      // the dead key was needed
  CHECK(ever.size() == ids.size());  // every position was liquidatable somewhere on the grid
}
