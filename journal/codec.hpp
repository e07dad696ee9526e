// journal/codec.hpp: the canonical payload encoding of each event kind and the chain hash.
//
// Canonical JSON (nexadex-journal(5)): one object, keys sorted bytewise, no whitespace, values only
// strings and integers, amounts as decimal strings at full precision, strings escaped as
// \" \\ \b \f \n \r \t and \u00XX (lowercase hex) for other control characters, all else raw UTF-8.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "lib/event.hpp"

namespace nexadex::journal {

inline constexpr std::string_view k_genesis_prev_hash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// A JSON string literal exactly as the canonical encoding writes it.
std::string json_string(std::string_view s);

// The payload bytes stored in events.payload.
std::string encode_payload(const EventBody& body);

// Decodes a stored payload. Errors (ErrorKind::discrepancy): an unknown kind, a payload that is not
// the canonical encoding of its kind (so that one event has exactly one byte form), a config text
// whose SHA-256 or TOML does not check out.
Result<EventBody> decode_payload(std::string_view kind, std::string_view payload);

// SHA-256 of the preimage  prev_hash "\n" seq "\n" at "\n" kind "\n" payload  (hex, decimal, decimal,
// ASCII, canonical JSON), lowercase hex.
std::string chain_hash(std::string_view prev_hash, int64_t seq, int64_t at, std::string_view kind,
                       std::string_view payload);

}  // namespace nexadex::journal
