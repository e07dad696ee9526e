// journal/codec.cpp: payload encoding with nlohmann::json (sorted keys, compact dump).
#include "journal/codec.hpp"

#include <nlohmann/json.hpp>

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
  if (j.size() != 2 || !get_string(j, "config_text", text) || !get_string(j, "config_sha256", sha)) {
    return undecodable(kind, "must hold exactly config_text and config_sha256 strings");
  }
  if (sha256_hex(text) != sha) return undecodable(kind, "config_sha256 is not the SHA-256 of config_text");
  auto config = parse_config(text, "journal config");
  if (!config) return undecodable(kind, "config_text is not a valid config: " + config.error().message);
  if (genesis) return JournalCreated{std::move(text), std::move(sha), std::move(*config)};
  return ConfigApplied{std::move(text), std::move(sha), std::move(*config)};
}

}  // namespace

std::string encode_payload(const EventBody& body) {
  json j = json::object();
  if (const auto* e = std::get_if<JournalCreated>(&body)) {
    j["config_text"] = e->config_text;
    j["config_sha256"] = e->config_sha256;
  } else if (const auto* e = std::get_if<ConfigApplied>(&body)) {
    j["config_text"] = e->config_text;
    j["config_sha256"] = e->config_sha256;
  } else if (const auto* e = std::get_if<PriceSet>(&body)) {
    j["market"] = e->market;
    j["price"] = to_string(e->price);
  }
  return dump(j);
}

Result<EventBody> decode_payload(std::string_view kind, std::string_view payload) {
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
  } else {
    return discrepancy_error("unknown event kind '" + std::string(kind) + "'.");
  }
  if (body && encode_payload(*body) != payload) {
    return undecodable(kind, "is not in canonical form");
  }
  return body;
}

std::string chain_hash(std::string_view prev_hash, int64_t seq, int64_t at, std::string_view kind,
                       std::string_view payload) {
  std::string pre;
  pre.reserve(prev_hash.size() + kind.size() + payload.size() + 48);
  pre.append(prev_hash);
  pre += '\n';
  pre += std::to_string(seq);
  pre += '\n';
  pre += std::to_string(at);
  pre += '\n';
  pre.append(kind);
  pre += '\n';
  pre.append(payload);
  return sha256_hex(pre);
}

}  // namespace nexadex::journal
