// journal/sha256.cpp: Nettle rather than OpenSSL 3, whose EVP start-up costs ~1 ms per process.
#include "journal/sha256.hpp"

#include <nettle/sha2.h>

namespace nexadex::journal {

static_assert(sizeof(sha256_ctx) <= 128, "Sha256::m_ctx is too small for nettle's sha256_ctx");

namespace {

std::string to_hex(const uint8_t* digest) {
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out(2 * SHA256_DIGEST_SIZE, '0');
  for (int i = 0; i < SHA256_DIGEST_SIZE; ++i) {
    out[2 * i] = k_hex[digest[i] >> 4];
    out[2 * i + 1] = k_hex[digest[i] & 0xf];
  }
  return out;
}

}  // namespace

Sha256::Sha256() { sha256_init(reinterpret_cast<sha256_ctx*>(m_ctx)); }

void Sha256::update(std::string_view bytes) {
  sha256_update(reinterpret_cast<sha256_ctx*>(m_ctx), bytes.size(), reinterpret_cast<const uint8_t*>(bytes.data()));
}

std::string Sha256::hex() {
  uint8_t digest[SHA256_DIGEST_SIZE];
  sha256_digest(reinterpret_cast<sha256_ctx*>(m_ctx), SHA256_DIGEST_SIZE, digest);
  return to_hex(digest);
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 h;
  h.update(bytes);
  return h.hex();
}

}  // namespace nexadex::journal
