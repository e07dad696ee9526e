// journal/sqlite_error.hpp: an SQLite exception as the journal's error, for the files of journal/.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>

#include "lib/error.hpp"

namespace nexadex::journal {

// A locked journal, a damaged one, one this user may not write, or another failure of SQLite on the
// journal at `path`: ErrorKind::journal, one sentence naming the path and what to do.
Error sqlite_error(const std::string& path, const SQLite::Exception& e);

}  // namespace nexadex::journal
