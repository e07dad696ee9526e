// tests/lib/property_journal.hpp: what the property tests share outside their rules: the seed and the
// length from the environment (NEXADEX_SEED, NEXADEX_PROPERTY_OPS), and the end of a run, the same
// accepted events journaled in transactions of 97 (the tables written and read back) and verified.
#pragma once

#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "journal/journal.hpp"
#include "lib/config.hpp"
#include "lib/event.hpp"

namespace nexadex::test {

// NEXADEX_SEED, else `fallback`.
inline uint64_t property_seed(uint64_t fallback) {
  const char* s = std::getenv("NEXADEX_SEED");
  return s ? std::strtoull(s, nullptr, 10) : fallback;
}

// NEXADEX_PROPERTY_OPS (at least 1), else `fallback`.
inline int64_t property_ops(int64_t fallback) {
  const char* s = std::getenv("NEXADEX_PROPERTY_OPS");
  return s ? std::max<int64_t>(1, std::strtoll(s, nullptr, 10)) : fallback;
}

// `verify` on the journal finds nothing (each finding listed when it does).
inline void check_verifies(journal::Journal& j) {
  auto verified = j.verify(nullptr);
  REQUIRE(verified.has_value());
  std::ostringstream found;
  for (const auto& p : verified->problems) found << p.seq << " " << p.check << ": " << p.message << "\n";
  INFO(found.str());
  CHECK(verified->problems.empty());
}

// Journals `accepted` (its first event the genesis of `config_text`) in a fresh temporary journal and
// checks that verify finds nothing; `name` names the temporary directory, `seed` the failure.
inline void journal_and_verify(const std::string& name, const std::string& config_text, const Config& config,
                               const std::vector<Event>& accepted, uint64_t seed) {
  std::string dir = "/tmp/nexadex-" + name + "-property.XXXXXX";
  REQUIRE(::mkdtemp(dir.data()) != nullptr);
  const std::string path = dir + "/j.db";
  // (with the rules version the test's journal_created adopted)
  const auto* genesis = std::get_if<JournalCreated>(&accepted.front().body);
  const std::optional<int64_t> rules = genesis ? std::optional<int64_t>(genesis->rules) : std::nullopt;
  REQUIRE(journal::Journal::create(path, config_text, config, accepted.front().at, rules).has_value());
  auto j = journal::Journal::open(path, journal::Access::write);
  REQUIRE(j.has_value());
  for (std::size_t i = 1; i < accepted.size(); ++i) {
    INFO("seed " << seed << ", accepted event " << i);
    if (i % 97 == 1) REQUIRE(j->begin().has_value());
    auto appended = j->append(accepted[i].body, accepted[i].at);
    INFO((appended ? std::string() : appended.error().message));
    REQUIRE(appended.has_value());
    if (i % 97 == 0 || i + 1 == accepted.size()) REQUIRE(j->commit().has_value());
  }
  check_verifies(*j);
  std::system(("rm -rf " + dir).c_str());
}

}  // namespace nexadex::test
