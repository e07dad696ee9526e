// bench/bench_common.hpp: what the benchmark programs share: the price each second gets, its text, the chain hash.
#pragma once

#include <nettle/sha2.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace nexadex::bench {

// 2026-01-01T00:00:00Z: the journals of the benchmark start here, one event a second.
inline constexpr int64_t k_epoch = 1'767'225'600;

// The price (8 dp units) of the event at `at`: 65000.00000000 to 65000.99999999, so that every
// payload has the same length and the batch file and the raw programs agree byte for byte.
constexpr int64_t price_units(int64_t at) { return 6'500'000'000'000 + (at * 7'919) % 100'000'000; }

// "65000.12345678", as lib's to_string(Price) prints it (8 decimals, never shortened).
inline std::string price_text(int64_t at) {
  const int64_t u = price_units(at);
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%lld.%08lld", static_cast<long long>(u / 100'000'000),
                              static_cast<long long>(u % 100'000'000));
  return std::string(buf, static_cast<std::size_t>(n));
}

// The canonical payload of price_set for BTC (keys sorted, no whitespace), as nexadex writes it.
inline void price_payload(int64_t at, std::string& out) {
  out.assign(R"({"market":"BTC","price":")");
  out += price_text(at);
  out += R"("})";
}

// SHA-256 of  prev_hash "\n" seq "\n" at "\n" kind "\n" payload, as 64 lowercase hex digits into `hex`.
inline void chain_hash(std::string_view prev_hash, int64_t seq, int64_t at, std::string_view kind,
                       std::string_view payload, char hex[64]) {
  sha256_ctx ctx;
  sha256_init(&ctx);
  auto put = [&](std::string_view s) { sha256_update(&ctx, s.size(), reinterpret_cast<const uint8_t*>(s.data())); };
  char num[24];
  put(prev_hash);
  put("\n");
  put(std::string_view(num, static_cast<std::size_t>(std::to_chars(num, num + sizeof num, seq).ptr - num)));
  put("\n");
  put(std::string_view(num, static_cast<std::size_t>(std::to_chars(num, num + sizeof num, at).ptr - num)));
  put("\n");
  put(kind);
  put("\n");
  put(payload);
  uint8_t digest[SHA256_DIGEST_SIZE];
  sha256_digest(&ctx, SHA256_DIGEST_SIZE, digest);
  static constexpr char k_hex[] = "0123456789abcdef";
  for (int i = 0; i < SHA256_DIGEST_SIZE; ++i) {
    hex[2 * i] = k_hex[digest[i] >> 4];
    hex[2 * i + 1] = k_hex[digest[i] & 0xf];
  }
}

// Parses a whole decimal int64 argument or exits with a usage message.
inline int64_t arg_int(const char* prog, const char* what, const char* text) {
  int64_t v = 0;
  const std::string_view s(text);
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size()) {
    std::fprintf(stderr, "%s: %s '%s' is not a whole number.\n", prog, what, text);
    std::exit(1);
  }
  return v;
}

}  // namespace nexadex::bench
