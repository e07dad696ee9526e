// journal/identify.cpp: is a file a nexadex journal, and of which schema: its SQLite header read
// before SQLite opens it, then application_id and user_version as SQLite reads them.
#include "journal/identify.hpp"

#include <sys/stat.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "journal/schema.hpp"

namespace nexadex::journal {
namespace {

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

uint32_t be32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

}  // namespace

Status identify(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      return journal_error("no journal at " + path + "; create one with 'nexadex init --config FILE' or give "
                           "--journal PATH (or NEXADEX_JOURNAL) of an existing journal.");
    }
    return journal_error("cannot read the journal " + path + ": " + std::strerror(errno) + "; nothing was written.");
  }
  if (!S_ISREG(st.st_mode)) return journal_error(path + " is not a regular file, so it is not a nexadex journal.");
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return journal_error("cannot open the journal " + path + " to read its header: " + std::strerror(errno) +
                         "; nothing was written.");
  }
  std::array<unsigned char, 100> h{};
  in.read(reinterpret_cast<char*>(h.data()), h.size());
  const auto got = in.gcount();
  static constexpr char k_magic[] = "SQLite format 3";
  if (got < 100 || std::memcmp(h.data(), k_magic, sizeof k_magic) != 0) {
    return journal_error(path + " is not a nexadex journal (it is not an SQLite database, or it is truncated); "
                         "check the --journal path.");
  }
  // A truncated file: SQLite would open it and leave -wal/-shm files beside it. Only without a -wal
  // file: every journal written since init keeps one (persist_wal), and while it holds frames the
  // main file may legitimately be shorter than its header says (a checkpoint under way, or cut short
  // by a crash and completed by SQLite's recovery).
  const uint32_t raw_page_size = (uint32_t{h[16]} << 8) | h[17];
  const uint64_t page_size = raw_page_size == 1 ? 65536 : raw_page_size;
  const uint64_t pages = be32(&h[28]);
  struct stat wal {};
  const bool has_wal = ::stat((path + "-wal").c_str(), &wal) == 0;
  if (!has_wal && be32(&h[24]) == be32(&h[92]) && static_cast<uint64_t>(st.st_size) < pages * page_size) {
    return journal_error(path + " is truncated (" + std::to_string(st.st_size) + " bytes, its header says " +
                         std::to_string(pages * page_size) + "); restore it from a copy.");
  }
  const uint32_t user_version = be32(&h[60]);
  const uint32_t app_id = be32(&h[68]);
  if (app_id != static_cast<uint32_t>(k_application_id)) {
    return journal_error(path + " is an SQLite database of another application (application_id " + hex32(app_id) +
                         "), not a nexadex journal; nothing was written to it.");
  }
  if (user_version > static_cast<uint32_t>(k_schema_version)) {
    return journal_error(path + " has journal schema " + std::to_string(user_version) + ", newer than the schema " +
                         std::to_string(k_schema_version) + " this nexadex reads; use a newer nexadex.");
  }
  if (user_version < 1) {
    return journal_error(path + " has no journal schema version (user_version 0); it is damaged or was not "
                         "made by 'nexadex init'.");
  }
  return {};
}

Result<int64_t> schema_version(SQLite::Database& db, const std::string& path) {
  const int64_t app_id = db.execAndGet("PRAGMA application_id").getInt64();
  const int64_t version = db.execAndGet("PRAGMA user_version").getInt64();
  if (app_id != k_application_id || version < k_oldest_schema_version || version > k_schema_version) {
    return journal_error(path + " is not a nexadex journal of schema " + std::to_string(k_oldest_schema_version) +
                         " to " + std::to_string(k_schema_version) + ".");
  }
  return version;
}

}  // namespace nexadex::journal
