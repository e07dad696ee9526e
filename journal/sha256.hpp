// journal/sha256.hpp: SHA-256 via Nettle, as lowercase hex.
#pragma once

#include <string>
#include <string_view>

namespace nexadex::journal {

std::string sha256_hex(std::string_view bytes);

}  // namespace nexadex::journal
