// lib/event.hpp: the journal's event kinds, one struct per kind (past tense), and their postings.
//
// A released kind never changes: its name, its fields and their canonical encoding (nexadex-journal(5))
// are fixed. Kinds that later phases add are listed in nexadex-journal(5) with their planned fields.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "lib/config.hpp"
#include "lib/money.hpp"
#include "lib/time.hpp"

namespace nexadex {

// seq 1 of every journal: the whole config text, so that a journal is self-contained (SPEC §7).
struct JournalCreated {
  std::string config_text;    // the raw bytes of the file given to `init --config`
  std::string config_sha256;  // SHA-256 of those bytes, lowercase hex (SPEC §10)
  Config config;              // parsed from config_text when the event is decoded; not encoded
};

// `config apply FILE`: the new config holds from this event on.
struct ConfigApplied {
  std::string config_text;
  std::string config_sha256;
  Config config;              // parsed from config_text; not encoded
};

// `price set`, `price import`, `--price P`: an oracle price for one market.
struct PriceSet {
  std::string market;
  Price price;                // > 0
};

using EventBody = std::variant<JournalCreated, ConfigApplied, PriceSet>;

struct Event {
  int64_t seq = 0;            // 1, 2, 3, ... without gaps
  Timestamp at;               // never before the previous event's
  EventBody body;
};

// The kind's name as journaled ("journal_created", "config_applied", "price_set").
std::string_view kind_name(const EventBody& body);

// One leg of a balanced double-entry transaction: the legs of one event sum to zero. Amounts are in
// micro-USD; positive is a debit of the account (money held there), negative a credit.
struct Posting {
  std::string account;        // "lp:senior", "insurance", "treasury", "trader:alice", "position:42", ...
  Usd amount;
};

}  // namespace nexadex
