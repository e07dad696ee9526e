// journal/sha256.hpp: SHA-256 via Nettle, as lowercase hex.
#pragma once

#include <string>
#include <string_view>

namespace nexadex::journal {

std::string sha256_hex(std::string_view bytes);

// Incremental SHA-256, for preimages made of several parts.
class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  std::string hex();   // finishes; call once

 private:
  alignas(16) unsigned char m_ctx[128];
};

}  // namespace nexadex::journal
