// lib/journal_head.hpp: JournalHead, what reports and writers know of the journal besides the state (data).
#pragma once

#include <cstdint>
#include <string>

#include "lib/time.hpp"

namespace nexadex {

// The journal's last event: its seq, its chain hash (lowercase hex) and its time.
struct JournalHead {
  int64_t seq = 0;
  std::string hash;
  Timestamp at;
};

}  // namespace nexadex
