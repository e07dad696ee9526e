// journal/identify.hpp: is a file a nexadex journal, and of which schema (internal to journal/).
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <string>

#include "lib/error.hpp"

namespace nexadex::journal {

// Identifies the file at `path` from its 100-byte SQLite header before SQLite opens it, so that a
// foreign or damaged file is refused without a single byte written (SQLite would create -wal/-shm
// files or change the journal mode otherwise). Errors (ErrorKind::journal): no such file, not a
// regular file, not SQLite, truncated, another application's database, a newer schema or none.
Status identify(const std::string& path);

// The schema version of the journal `db` has open, once SQLite confirms what the header said (this
// also reads page 1 through the WAL). Errors (ErrorKind::journal): not a nexadex journal of a schema
// this nexadex reads. SQLite's own failures throw SQLite::Exception.
Result<int64_t> schema_version(SQLite::Database& db, const std::string& path);

}  // namespace nexadex::journal
