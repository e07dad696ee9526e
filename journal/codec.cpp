// journal/codec.cpp: payload encoding with nlohmann::json (sorted keys, compact dump).
#include "journal/codec.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <optional>

#include "journal/config_toml.hpp"
#include "journal/sha256.hpp"

namespace nexadex::journal {
namespace {

using nlohmann::json;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::strict); }

std::unexpected<Error> undecodable(std::string_view kind, std::string_view why) {
  return discrepancy_error("the " + std::string(kind) + " payload " + std::string(why));
}

// Fetches a string field; false when missing or not a string.
bool get_string(const json& j, const char* key, std::string& out) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return false;
  out = it->get<std::string>();
  return true;
}

Result<EventBody> decode_config(std::string_view kind, const json& j, bool genesis) {
  std::string text, sha;
  int64_t rules = 1;   // the first releases wrote no version
  if (const auto it = j.find("rules"); it != j.end()) {
    if (!it->is_number_integer()) return undecodable(kind, "has a rules version that is not an integer");
    rules = it->get<int64_t>();
    if (rules > k_rules_newest) {
      return undecodable(kind, "adopts rules version " + std::to_string(rules) + ", newer than the version " +
                                   std::to_string(k_rules_newest) + " this nexadex applies; use a newer nexadex");
    }
    if (rules < 2) return undecodable(kind, "has rules version " + std::to_string(rules) + " written out");
  }
  if (j.size() != (rules == 1 ? 2u : 3u) || !get_string(j, "config_text", text) || !get_string(j, "config_sha256", sha)) {
    return undecodable(kind, "must hold exactly config_text and config_sha256 strings (and rules)");
  }
  if (sha256_hex(text) != sha) return undecodable(kind, "config_sha256 is not the SHA-256 of config_text");
  auto config = parse_config(text, "journal config");
  if (!config) return undecodable(kind, "config_text is not a valid config: " + config.error().message);
  if (genesis) return JournalCreated{std::move(text), std::move(sha), std::move(*config), rules};
  return ConfigApplied{std::move(text), std::move(sha), std::move(*config), rules};
}

// A JSON string exactly as nlohmann::json dumps it (quotes, \" \\ \b \f \n \r \t, \u00xx for other
// control characters, all other bytes raw). Used for the hot event kinds, where building a json object
// costs more than the rest of an append; codec_test checks it against nlohmann byte for byte.
void append_json_string(std::string& out, std::string_view s) {
  static constexpr char k_hex[] = "0123456789abcdef";
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += k_hex[c >> 4];
          out += k_hex[c & 0xf];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

// Reads `"text"` at `pos` when the text is plain ASCII without escapes (the common case); false
// otherwise, so that nlohmann checks escapes and UTF-8 (invalid UTF-8 is not JSON).
bool plain_string_at(std::string_view s, std::size_t& pos, std::string_view& out) {
  if (pos >= s.size() || s[pos] != '"') return false;
  const std::size_t start = pos + 1;
  std::size_t i = start;
  for (; i < s.size() && s[i] != '"'; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '\\' || c < 0x20 || c >= 0x80) return false;
  }
  if (i >= s.size()) return false;
  out = s.substr(start, i - start);
  pos = i + 1;
  return true;
}

bool literal_at(std::string_view s, std::size_t& pos, std::string_view lit) {
  if (s.substr(pos, lit.size()) != lit) return false;
  pos += lit.size();
  return true;
}

// The canonical price_set payload {"market":"BTC","price":"65000.00000000"} without escapes.
bool fast_price_set(std::string_view payload, std::string_view& market, std::string_view& price) {
  std::size_t pos = 0;
  return literal_at(payload, pos, "{\"market\":") && plain_string_at(payload, pos, market) &&
         literal_at(payload, pos, ",\"price\":") && plain_string_at(payload, pos, price) &&
         literal_at(payload, pos, "}") && pos == payload.size();
}

// A non-negative int64 written as nlohmann writes one (no sign, no leading zero) at `pos`; false
// otherwise, so that nlohmann reads whatever else it is.
bool plain_id_at(std::string_view s, std::size_t& pos, int64_t& out) {
  std::size_t i = pos;
  int64_t v = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (i - pos == 18) return false;   // beyond 18 digits: nlohmann decides
    v = v * 10 + (s[i] - '0');
  }
  if (i == pos || (s[pos] == '0' && i - pos > 1)) return false;
  out = v;
  pos = i;
  return true;
}

bool ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// The trading events' payloads written by hand, byte for byte what nlohmann writes for the same
// object (sorted keys, compact): they are most of a busy journal, and building a json object costs
// more than the rest of an append or of verify's decode. Strings with a byte above ASCII go through
// nlohmann, which refuses invalid UTF-8 (codec_fast_test checks both against nlohmann).
std::optional<std::string> encode_trading(const EventBody& body) {
  std::string out;
  if (const auto* e = std::get_if<PositionOpened>(&body)) {
    // collateral in tokens (rules 4) is rare: nlohmann writes it
    if (!ascii(e->trader) || !ascii(e->market) || !e->collateral_asset.empty()) return std::nullopt;
    out.reserve(96 + e->trader.size() + e->market.size());
    out += "{\"collateral\":\"";
    out += to_string(e->collateral);
    out += '"';
    if (e->leverage.hundredths > 0) {
      out += ",\"leverage\":\"";
      out += format_decimal(e->leverage.hundredths, 2);
      out += '"';
    }
    out += ",\"market\":";
    append_json_string(out, e->market);
    out += ",\"side\":\"";
    out += side_name(e->side);
    out += '"';
    if (e->leverage.hundredths <= 0) {
      out += ",\"size\":\"";
      out += to_string(e->size);
      out += '"';
    }
    out += ",\"trader\":";
    append_json_string(out, e->trader);
    out += '}';
    return out;
  }
  if (const auto* e = std::get_if<PositionClosed>(&body)) {
    out += "{\"id\":";
    out += std::to_string(e->id);
    if (e->size.is_positive()) {
      out += ",\"size\":\"";
      out += to_string(e->size);
      out += '"';
    }
    out += '}';
    return out;
  }
  if (const auto* e = std::get_if<PositionLiquidated>(&body)) {
    if (!ascii(e->keeper)) return std::nullopt;
    out += "{\"id\":";
    out += std::to_string(e->id);
    out += ",\"keeper\":";
    append_json_string(out, e->keeper);
    out += '}';
    return out;
  }
  return std::nullopt;
}

// The trading events read directly when their payload has the canonical shape with plain strings
// and every field is valid; nothing otherwise, and nlohmann and decode_vault read it (with the same
// checks, so the same body or the same error).
std::optional<EventBody> fast_trading(std::string_view kind, std::string_view payload) {
  std::size_t pos = 0;
  const auto field = [&](std::string_view name, std::string_view& out) {
    return literal_at(payload, pos, name) && plain_string_at(payload, pos, out);
  };
  const auto end = [&] { return literal_at(payload, pos, "}") && pos == payload.size(); };
  if (kind == "position_opened") {
    std::string_view collateral, leverage, market, side, size, trader;
    if (!field("{\"collateral\":", collateral)) return std::nullopt;
    const bool levered = field(",\"leverage\":", leverage);
    if (!field(",\"market\":", market) || !field(",\"side\":", side)) return std::nullopt;
    if (!levered && !field(",\"size\":", size)) return std::nullopt;
    if (!field(",\"trader\":", trader) || !end()) return std::nullopt;
    if (side != "long" && side != "short") return std::nullopt;
    PositionOpened e;
    e.trader = std::string(trader);
    e.market = std::string(market);
    e.side = side == "short" ? Side::short_ : Side::long_;
    auto c = parse_usd(collateral, Sign::positive, "collateral");
    if (!c) return std::nullopt;
    e.collateral = *c;
    if (levered) {
      auto l = parse_decimal(leverage, 2, Sign::positive, "leverage");
      if (!l) return std::nullopt;
      e.leverage.hundredths = *l;
    } else {
      auto s = parse_usd(size, Sign::positive, "size");
      if (!s) return std::nullopt;
      e.size = *s;
    }
    return e;
  }
  if (kind == "position_closed" || kind == "position_liquidated") {
    int64_t id = 0;
    if (!literal_at(payload, pos, "{\"id\":") || !plain_id_at(payload, pos, id)) return std::nullopt;
    if (kind == "position_liquidated") {
      std::string_view keeper;
      if (!field(",\"keeper\":", keeper) || !end()) return std::nullopt;
      return PositionLiquidated{id, std::string(keeper)};
    }
    PositionClosed e;
    e.id = id;
    std::string_view size;
    if (field(",\"size\":", size)) {
      auto s = parse_usd(size, Sign::positive, "size");
      if (!s) return std::nullopt;
      e.size = *s;
    }
    if (!end()) return std::nullopt;
    return e;
  }
  return std::nullopt;
}

// The fields of a vault event; false when a field is missing or of the wrong type.
struct Fields {
  const json& j;
  std::size_t used = 0;
  bool ok = true;
  std::string text(const char* key) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) {
      ok = false;
      return {};
    }
    ++used;
    return it->get<std::string>();
  }
  bool has(const char* key) const { return j.contains(key); }
  int64_t integer(const char* key) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number_integer()) {
      ok = false;
      return 0;
    }
    ++used;
    return it->get<int64_t>();
  }
  template <class T>
  T amount(const char* key, Result<T> (*parse)(std::string_view, Sign, std::string_view)) {
    const std::string t = text(key);
    if (!ok) return T{};
    auto v = parse(t, Sign::positive, key);
    if (!v) {
      ok = false;
      return T{};
    }
    return *v;
  }
};

// The options a deposit of either kind shares: tranche, lock, compound.
template <class E>
void deposit_options(Fields& f, E& e) {
  if (f.has("tranche")) e.tranche = f.text("tranche");
  if (f.has("lock")) {
    auto d = parse_duration(f.text("lock"), "lock");
    f.ok = f.ok && d.has_value() && d->seconds > 0;
    if (d) e.lock = *d;
  }
  if (f.has("compound")) {
    f.ok = f.ok && f.integer("compound") == 0;
    e.compound = false;
  }
}

// ... and a withdrawal of either kind: tranche, and one of amount, shares, all.
template <class E>
void withdrawal_options(Fields& f, E& e) {
  if (f.has("tranche")) e.tranche = f.text("tranche");
  if (f.has("amount")) {
    e.by = WithdrawBy::amount;
    e.amount = f.amount<Usd>("amount", parse_usd);
  } else if (f.has("shares")) {
    e.by = WithdrawBy::shares;
    e.shares = f.amount<Shares>("shares", parse_shares);
  } else {
    e.by = WithdrawBy::all;
    f.ok = f.ok && f.integer("all") == 1;
  }
}

Result<EventBody> decode_vault(std::string_view kind, const json& j) {
  Fields f{j};
  EventBody body;
  if (kind == "lp_deposited") {
    LpDeposited e;
    e.lp = f.text("lp");
    e.amount = f.amount<Usd>("amount", parse_usd);
    deposit_options(f, e);
    body = e;
  } else if (kind == "lp_asset_deposited") {
    LpAssetDeposited e;
    e.lp = f.text("lp");
    e.asset = f.text("asset");
    e.amount = f.text("amount");
    // tokens of any asset: a positive decimal of at most 9 places (the asset's own are checked when applied)
    f.ok = f.ok && parse_decimal(e.amount, 9, Sign::positive, "amount").has_value();
    deposit_options(f, e);
    body = e;
  } else if (kind == "rewards_claimed") {
    RewardsClaimed e;
    e.lp = f.text("lp");
    e.amount = f.amount<Usd>("amount", parse_usd);
    body = e;
  } else if (kind == "lp_withdrew") {
    LpWithdrew e;
    e.lp = f.text("lp");
    withdrawal_options(f, e);
    body = e;
  } else if (kind == "lp_asset_withdrew") {
    LpAssetWithdrew e;
    e.lp = f.text("lp");
    e.asset = f.text("asset");
    withdrawal_options(f, e);
    body = e;
  } else if (kind == "position_opened") {
    PositionOpened e;
    e.trader = f.text("trader");
    e.market = f.text("market");
    const std::string side = f.text("side");
    f.ok = f.ok && (side == "long" || side == "short");
    e.side = side == "short" ? Side::short_ : Side::long_;
    if (f.has("collateral_asset")) {
      // tokens of a pool asset (rules 4): a positive decimal of at most 9 places, checked against the
      // asset's decimals when applied
      e.collateral_asset = f.text("collateral_asset");
      e.collateral_tokens = f.text("collateral_tokens");
      f.ok = f.ok && !e.collateral_asset.empty() &&
             parse_decimal(e.collateral_tokens, 9, Sign::positive, "collateral").has_value();
    } else {
      e.collateral = f.amount<Usd>("collateral", parse_usd);
    }
    if (f.has("leverage")) {
      auto l = parse_decimal(f.text("leverage"), 2, Sign::positive, "leverage");
      f.ok = f.ok && l.has_value();
      if (l) e.leverage.hundredths = *l;
    } else {
      e.size = f.amount<Usd>("size", parse_usd);
    }
    body = e;
  } else if (kind == "position_closed") {
    PositionClosed e;
    e.id = f.integer("id");
    if (f.has("size")) e.size = f.amount<Usd>("size", parse_usd);
    body = e;
  } else if (kind == "position_liquidated") {
    PositionLiquidated e;
    e.id = f.integer("id");
    e.keeper = f.text("keeper");
    body = e;
  } else if (kind == "loss_applied") {
    LossApplied e;
    e.amount = f.amount<Usd>("amount", parse_usd);
    e.reason = f.text("reason");
    body = e;
  } else if (kind == "loss_acknowledged") {
    LossAcknowledged e;
    e.amount = f.amount<Usd>("amount", parse_usd);
    e.reason = f.text("reason");
    body = e;
  } else if (kind == "tranche_reset") {
    TrancheReset e;
    e.tranche = f.text("tranche");
    e.shares = f.amount<Shares>("shares", parse_shares);
    body = e;
  } else if (kind == "insurance_deposited") {
    InsuranceDeposited e;
    e.amount = f.amount<Usd>("amount", parse_usd);
    e.from = f.text("from");
    body = e;
  } else {
    return discrepancy_error("unknown event kind '" + std::string(kind) + "'.");
  }
  if (!f.ok || f.used != j.size()) return undecodable(kind, "does not hold exactly the fields of its kind");
  return body;
}

}  // namespace

std::string json_string(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  append_json_string(out, s);
  return out;
}

std::string encode_payload(const EventBody& body) {
  if (const auto* e = std::get_if<PriceSet>(&body)) {
    std::string out;
    out.reserve(48 + e->market.size());
    out += "{\"market\":";
    append_json_string(out, e->market);
    out += ",\"price\":\"";
    out += to_string(e->price);
    out += "\"}";
    return out;
  }
  if (auto fast = encode_trading(body)) return std::move(*fast);
  json j = json::object();
  const auto deposit_fields = [&](const auto& e) {
    if (!e.tranche.empty()) j["tranche"] = e.tranche;
    if (e.lock.seconds > 0) j["lock"] = format_duration(e.lock);
    if (!e.compound) j["compound"] = 0;
  };
  const auto withdrawal_fields = [&](const auto& e) {
    if (!e.tranche.empty()) j["tranche"] = e.tranche;
    if (e.by == WithdrawBy::amount) j["amount"] = to_string(e.amount);
    if (e.by == WithdrawBy::shares) j["shares"] = to_string(e.shares);
    if (e.by == WithdrawBy::all) j["all"] = 1;
  };
  if (const auto* e = std::get_if<LpDeposited>(&body)) {
    j["lp"] = e->lp;
    j["amount"] = to_string(e->amount);
    deposit_fields(*e);
  } else if (const auto* e = std::get_if<LpAssetDeposited>(&body)) {
    j["lp"] = e->lp;
    j["asset"] = e->asset;
    j["amount"] = e->amount;
    deposit_fields(*e);
  } else if (const auto* e = std::get_if<RewardsClaimed>(&body)) {
    j["lp"] = e->lp;
    j["amount"] = to_string(e->amount);
  } else if (const auto* e = std::get_if<LpWithdrew>(&body)) {
    j["lp"] = e->lp;
    withdrawal_fields(*e);
  } else if (const auto* e = std::get_if<LpAssetWithdrew>(&body)) {
    j["lp"] = e->lp;
    j["asset"] = e->asset;
    withdrawal_fields(*e);
  } else if (const auto* e = std::get_if<PositionOpened>(&body)) {
    j["trader"] = e->trader;
    j["market"] = e->market;
    j["side"] = std::string(side_name(e->side));
    if (e->collateral_asset.empty()) {
      j["collateral"] = to_string(e->collateral);
    } else {
      j["collateral_asset"] = e->collateral_asset;
      j["collateral_tokens"] = e->collateral_tokens;
    }
    if (e->leverage.hundredths > 0) j["leverage"] = format_decimal(e->leverage.hundredths, 2);
    else j["size"] = to_string(e->size);
  } else if (const auto* e = std::get_if<PositionClosed>(&body)) {
    j["id"] = e->id;
    if (e->size.is_positive()) j["size"] = to_string(e->size);
  } else if (const auto* e = std::get_if<PositionLiquidated>(&body)) {
    j["id"] = e->id;
    j["keeper"] = e->keeper;
  } else if (const auto* e = std::get_if<InsuranceDeposited>(&body)) {
    j["amount"] = to_string(e->amount);
    j["from"] = e->from;
  } else if (const auto* e = std::get_if<LossApplied>(&body)) {
    j["amount"] = to_string(e->amount);
    j["reason"] = e->reason;
  } else if (const auto* e = std::get_if<LossAcknowledged>(&body)) {
    j["amount"] = to_string(e->amount);
    j["reason"] = e->reason;
  } else if (const auto* e = std::get_if<TrancheReset>(&body)) {
    j["tranche"] = e->tranche;
    j["shares"] = to_string(e->shares);
  } else if (const auto* e = std::get_if<JournalCreated>(&body)) {
    j["config_text"] = e->config_text;
    j["config_sha256"] = e->config_sha256;
    if (e->rules != 1) j["rules"] = e->rules;
  } else if (const auto* e = std::get_if<ConfigApplied>(&body)) {
    j["config_text"] = e->config_text;
    j["config_sha256"] = e->config_sha256;
    if (e->rules != 1) j["rules"] = e->rules;
  }
  return dump(j);
}

Result<EventBody> decode_payload(std::string_view kind, std::string_view payload) {
  if (kind == "price_set") {
    std::string_view market, price;
    if (fast_price_set(payload, market, price)) {
      auto p = parse_price(price, "price");
      if (!p) return undecodable(kind, "has a bad price: " + p.error().message);
      EventBody body = PriceSet{std::string(market), *p};
      if (encode_payload(body) != payload) return undecodable(kind, "is not in canonical form");
      return body;
    }
  }
  if (auto fast = fast_trading(kind, payload)) {
    if (encode_payload(*fast) != payload) return undecodable(kind, "is not in canonical form");
    return std::move(*fast);
  }
  json j = json::parse(payload, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return undecodable(kind, "is not a JSON object");
  Result<EventBody> body = undecodable(kind, "is of an unknown event kind");
  if (kind == "journal_created") {
    body = decode_config(kind, j, true);
  } else if (kind == "config_applied") {
    body = decode_config(kind, j, false);
  } else if (kind == "price_set") {
    std::string market, price;
    if (j.size() != 2 || !get_string(j, "market", market) || !get_string(j, "price", price)) {
      return undecodable(kind, "must hold exactly market and price strings");
    }
    auto p = parse_price(price, "price");
    if (!p) return undecodable(kind, "has a bad price: " + p.error().message);
    body = PriceSet{std::move(market), *p};
  } else if (auto vault_body = decode_vault(kind, j)) {
    body = std::move(*vault_body);
  } else {
    return std::unexpected(vault_body.error());
  }
  if (body && encode_payload(*body) != payload) {
    return undecodable(kind, "is not in canonical form");
  }
  return body;
}

std::string chain_hash(std::string_view prev_hash, int64_t seq, int64_t at, std::string_view kind,
                       std::string_view payload) {
  char head[48];
  const int n = std::snprintf(head, sizeof head, "\n%lld\n%lld\n", static_cast<long long>(seq), static_cast<long long>(at));
  Sha256 h;
  h.update(prev_hash);
  h.update(std::string_view(head, static_cast<std::size_t>(n)));
  h.update(kind);
  h.update("\n");
  h.update(payload);
  return h.hex();
}

}  // namespace nexadex::journal
