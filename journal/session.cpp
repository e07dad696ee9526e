// journal/session.cpp: the SQLite session behind a Journal: creating the file (init), opening it for
// writing or for reading (shared, or immutable where SQLite's WAL reader cannot start), the write
// transaction (BEGIN IMMEDIATE with a busy timeout, commit, rollback) and SQLite's errors in words.
#include "journal/session.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "journal/codec.hpp"
#include "journal/identify.hpp"
#include "journal/sha256.hpp"

namespace nexadex::journal {
namespace {

constexpr int k_busy_timeout_ms = 10'000;

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// How a reader opens the journal without creating a file beside it that its owner could not write.
enum class ReadMode {
  shared,      // SQLite's own read-only WAL reader, with its locks (it may create -wal/-shm only where
               // this user may write the journal anyway)
  immutable,   // the main file as it is (SQLite's immutable mode): nothing is in a -wal file, and this
               // user cannot create -shm, so SQLite's WAL reader cannot start
};

Result<ReadMode> read_mode(const std::string& path) {
  const std::string wal = path + "-wal", shm = path + "-shm";
  // Both beside it (every journal written since init keeps them): SQLite reads through them, even
  // when it may not write them (it then keeps its shared memory on the heap).
  if (exists(wal) && exists(shm)) return ReadMode::shared;
  if (::access(path.c_str(), W_OK) == 0 && ::access(directory_of(path).c_str(), W_OK | X_OK) == 0) {
    return ReadMode::shared;
  }
  struct stat st {};
  if (::stat(wal.c_str(), &st) != 0 || st.st_size == 0) return ReadMode::immutable;
  return journal_error("the journal " + path + " has changes in " + wal + " that are not yet in the main file, and "
                       "SQLite cannot read them without creating " + shm + ", which this user may not; copy both "
                       "files to a writable directory, or ask the journal's owner to run any nexadex write on it.");
}

// A writer needs to write the file and, unless both are already there and writable, to create its
// -wal and -shm files beside it.
Status check_writable(const std::string& path) {
  const std::string dir = directory_of(path);
  if (::access(path.c_str(), W_OK) != 0) {
    return journal_error("the journal " + path + " is read-only for this user (" + std::strerror(errno) +
                         "); reports, verify and export work on it, but a write needs write permission on it.");
  }
  const std::string wal = path + "-wal", shm = path + "-shm";
  const bool sides_writable = ::access(wal.c_str(), W_OK) == 0 && ::access(shm.c_str(), W_OK) == 0;
  if (!sides_writable && ::access(dir.c_str(), W_OK | X_OK) != 0) {
    return journal_error("the journal " + path + " is read-only for this user: its directory " + dir +
                         " is not writable and a write creates " + wal + " and " + shm + " there; reports, verify "
                         "and export work on it.");
  }
  return {};
}

// file: URI of a path for sqlite3_open_v2 with SQLITE_OPEN_URI ('?', '#' and '%' escaped).
std::string file_uri(const std::string& path, const char* query) {
  std::string out = "file:";
  for (const char c : path) {
    if (c == '?' || c == '#' || c == '%') {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "?" + query;
}

// Keeps the -wal file when the last connection closes (it is still checkpointed, so the main file
// alone is a complete journal): the next writer does not create it again and sync the directory.
void persist_wal(SQLite::Database& db) {
  int on = 1;
  sqlite3_file_control(db.getHandle(), "main", SQLITE_FCNTL_PERSIST_WAL, &on);
  db.exec("PRAGMA journal_size_limit = 0");  // and leave it empty once checkpointed
}

}  // namespace

SqliteSetup::SqliteSetup() {
  static const bool done = [] { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK; }();
  (void)done;
}

void set_int_pragma(SQLite::Database& db, const char* name, int64_t v) {
  db.exec(std::string("PRAGMA ") + name + " = " + std::to_string(v));
}

namespace {

// What SQLite was doing when the file system refused it, from its extended result code: a verb
// whose object is the journal.
std::string failed_operation(int extended) {
  switch (extended) {
    case SQLITE_IOERR_READ:
    case SQLITE_IOERR_SHORT_READ: return "read";
    case SQLITE_IOERR_WRITE: return "write";
    case SQLITE_IOERR_FSYNC: return "fsync (flush to disk)";
    case SQLITE_IOERR_DIR_FSYNC: return "sync the directory of";
    case SQLITE_IOERR_TRUNCATE: return "truncate";
    case SQLITE_IOERR_FSTAT: return "read the size of";
    case SQLITE_IOERR_LOCK:
    case SQLITE_IOERR_RDLOCK:
    case SQLITE_IOERR_UNLOCK:
    case SQLITE_IOERR_CHECKRESERVEDLOCK: return "lock or unlock";
    case SQLITE_IOERR_SHMOPEN:
    case SQLITE_IOERR_SHMSIZE:
    case SQLITE_IOERR_SHMLOCK:
    case SQLITE_IOERR_SHMMAP: return "open, lock or map the shared-memory file (-shm) of";
    case SQLITE_IOERR_DELETE:
    case SQLITE_IOERR_DELETE_NOENT: return "delete a file beside";
    case SQLITE_IOERR_ACCESS: return "check a file beside";
    case SQLITE_IOERR_CLOSE: return "close";
    case SQLITE_IOERR_SEEK: return "seek in";
    case SQLITE_IOERR_MMAP: return "map";
    default: return "read or write";
  }
}

}  // namespace

Error sqlite_error(const std::string& path, const SQLite::Exception& e) {
  const int extended = e.getExtendedErrorCode();
  const int code = extended & 0xff;
  const std::string sqlite = std::string(" (SQLite: ") + e.what() + ")";
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
    // SQLite cannot tell another writer's lock from a lock the file system refuses (it reads a failed
    // lock on the -shm file as busy), so the sentence names both.
    return Error{ErrorKind::journal, "the journal " + path + " stayed locked for " +
                                         std::to_string(k_busy_timeout_ms / 1000) +
                                         " s (another writer holds it, or the file system refuses its locks); "
                                         "nothing was written, try again later."};
  }
  if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) {
    return Error{ErrorKind::journal, "the journal " + path + " is damaged" + sqlite +
                                         "; restore it from a copy and run 'nexadex verify'."};
  }
  // The file system refused a call: say which, and that the transaction wrote nothing (SQLite rolled
  // it back; a reader writes nothing anyway).
  if (code == SQLITE_FULL) {
    return Error{ErrorKind::journal, "the disk is full: SQLite could not write the journal " + path + sqlite +
                                         "; nothing was written, free some space and run the command again."};
  }
  if (code == SQLITE_CANTOPEN || code == SQLITE_READONLY || code == SQLITE_PERM) {
    return Error{ErrorKind::journal, "SQLite could not open the journal " + path + " or its -wal or -shm file" +
                                         (code == SQLITE_CANTOPEN ? "" : " for writing") + sqlite +
                                         "; nothing was written, check the files' permissions and the disk."};
  }
  if (code == SQLITE_PROTOCOL) {
    return Error{ErrorKind::journal, "SQLite could not lock the write-ahead log (-wal and -shm files) of the journal " +
                                         path + sqlite + "; nothing was written, check the disk and run the command again."};
  }
  if (code == SQLITE_IOERR) {
    return Error{ErrorKind::journal, "SQLite could not " + failed_operation(extended) + " the journal " + path +
                                         sqlite + "; nothing was written, check the disk and run the command again."};
  }
  return Error{ErrorKind::journal, "the journal " + path + " could not be read or written" + sqlite +
                                       "; nothing was written."};
}

// NOMUTEX: one thread uses a connection, so SQLite need not lock its mutex on every call (a stress
// test makes millions of column calls).
Journal::Impl::Impl(std::string p, int flags)
    : path(std::move(p)), db(path, flags | SQLite::OPEN_NOMUTEX, k_busy_timeout_ms) {}
Journal::Impl::Impl(std::string p, const std::string& name, int flags)
    : path(std::move(p)), db(name, flags | SQLite::OPEN_NOMUTEX, k_busy_timeout_ms) {}

Journal::Journal(std::unique_ptr<Impl> impl) : m(std::move(impl)) {}
Journal::Journal(Journal&&) noexcept = default;
Journal& Journal::operator=(Journal&&) noexcept = default;
Journal::~Journal() {
  if (m && m->in_write) rollback();
}

Result<JournalHead> Journal::create(const std::string& path, const std::string& config_text, const Config& config,
                                    Timestamp at, std::optional<int64_t> rules) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 || errno != ENOENT) {
    return input_error(path + " already exists; init never overwrites a file, so give a new --journal path "
                       "or remove the old file yourself.");
  }
  // Build the journal beside its final name, then link it into place: a crash leaves no half journal.
  std::string tmp = path + ".init-XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return journal_error("cannot create " + path + ": " + std::strerror(errno) + ".");
  // mkstemp makes the file 0600; a journal gets the permissions of any new file (0666 less the umask).
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  ::close(fd);
  auto remove_tmp = [&] {
    ::unlink(tmp.c_str());
    ::unlink((tmp + "-wal").c_str());
    ::unlink((tmp + "-shm").c_str());
  };
  JournalHead head;
  try {
    Impl impl(tmp, SQLite::OPEN_READWRITE);
    set_int_pragma(impl.db, "application_id", k_application_id);
    set_int_pragma(impl.db, "user_version", k_schema_version);
    impl.db.exec("PRAGMA journal_mode = WAL");
    persist_wal(impl.db);
    impl.db.exec("PRAGMA synchronous = FULL");
    impl.db.exec("BEGIN IMMEDIATE");
    impl.db.exec(std::string(k_record_sql));
    impl.db.exec(std::string(k_derived_sql));
    impl.db.exec(std::string(k_positions_sql));
    impl.db.exec(std::string(k_checkpoints_sql));
    impl.head.hash = std::string(k_genesis_prev_hash);
    JournalCreated genesis{config_text, sha256_hex(config_text), config, rules.value_or(rules_to_write(config, 0))};
    auto seq = impl.append(std::move(genesis), at, nullptr);
    if (!seq) {
      impl.db.exec("ROLLBACK");
      remove_tmp();
      return std::unexpected(seq.error());
    }
    if (auto ok = impl.write_state_rows(); !ok) {
      impl.db.exec("ROLLBACK");
      remove_tmp();
      return std::unexpected(ok.error());
    }
    impl.db.exec("COMMIT");
    head = impl.head;
  } catch (const SQLite::Exception& e) {
    remove_tmp();
    return std::unexpected(sqlite_error(path, e));
  }
  if (::link(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    remove_tmp();
    if (err == EEXIST) return input_error(path + " already exists; init never overwrites a file.");
    return journal_error("cannot create " + path + ": " + std::strerror(err) + ".");
  }
  remove_tmp();
  return head;
}

Result<Journal> Journal::open(const std::string& path, Access access) {
  NX_TRY_STATUS(identify(path));
  ReadMode mode = ReadMode::shared;
  if (access == Access::write) {
    NX_TRY_STATUS(check_writable(path));
  } else {
    NX_TRY(read, read_mode(path));
    mode = read;
  }
  try {
    auto impl = access == Access::write ? std::make_unique<Impl>(path, SQLite::OPEN_READWRITE)
                : mode == ReadMode::shared
                    ? std::make_unique<Impl>(path, SQLite::OPEN_READONLY)
                    : std::make_unique<Impl>(path, file_uri(path, "immutable=1"), SQLite::OPEN_READONLY | SQLite::OPEN_URI);
    // The header said so; SQLite confirms.
    NX_TRY(version, schema_version(impl->db, path));
    impl->version = version;
    if (access == Access::write) {
      impl->db.exec("PRAGMA synchronous = FULL");
      // A batch is one transaction: a page cache of 64 MiB keeps its pages from spilling to the WAL.
      impl->db.exec("PRAGMA cache_size = -65536");
      persist_wal(impl->db);
    } else {
      // One read transaction for the reader's whole life: the state and every row it reads later
      // (positions and accounts are read on demand) come from one snapshot, even while a writer
      // commits; and SQLite takes its shared lock once instead of at every statement. The file is
      // read through a memory map (up to 4 GiB): a stress test reads a large part of the positions
      // table, and on this kind of machine a pread per page costs more than the page's rows.
      impl->db.exec("PRAGMA mmap_size = 4294967296");
      impl->db.exec("BEGIN");
    }
    return Journal(std::move(impl));
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(path, e));
  }
}

Status Journal::begin() {
  try {
    m->last_checkpoint = -1;   // another writer may have written one since
    m->db.exec("BEGIN IMMEDIATE");
    m->in_write = true;
    if (m->version < k_schema_version) {
      NX_TRY_STATUS(upgrade());
    }
    return m->load_state_tables();
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m->path, e));
  }
}

Status Journal::flush() {
  try {
    return m->write_state_rows();
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m->path, e));
  }
}

Status Journal::commit() {
  try {
    NX_TRY_STATUS(m->write_state_rows());
    m->insert_event.reset();
    m->insert_posting.reset();
    m->positions.reset();
    m->db.exec("COMMIT");
    m->in_write = false;
    return {};
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m->path, e));
  }
}

void Journal::rollback() {
  m->last_checkpoint = -1;
  m->insert_event.reset();
  m->insert_posting.reset();
  m->positions.reset();
  try {
    m->db.exec("ROLLBACK");
  } catch (const SQLite::Exception&) {
    // nothing was committed; SQLite rolls back an open transaction when the connection closes
  }
  m->in_write = false;
}

const std::string& Journal::path() const { return m->path; }

void Journal::set_checkpoint_every(int64_t events) { m->checkpoint_every = events; }

Result<int64_t> Journal::event_count() {
  try {
    return m->db.execAndGet("SELECT count(*) FROM events").getInt64();
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m->path, e));
  }
}

Status Journal::read_without_map() {
  try {
    m->db.exec("PRAGMA mmap_size = 0");
    return {};
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m->path, e));
  }
}

Result<int64_t> Journal::last_seq() {
  try {
    return m->db.execAndGet("SELECT coalesce(max(seq), 0) FROM events").getInt64();
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m->path, e));
  }
}

Result<std::vector<std::string>> Journal::integrity_check(StructureScope scope) {
  std::vector<std::string> problems;
  try {
    // through SQLite's page cache, not the memory map: a check reads every page once, and mapped pages
    // would count in the process's memory as the whole file
    m->db.exec("PRAGMA mmap_size = 0");
    std::vector<std::string> pragmas;
    if (scope == StructureScope::whole) {
      pragmas.push_back("PRAGMA integrity_check(20)");
    } else if (scope == StructureScope::positions) {
      pragmas.push_back("PRAGMA integrity_check(positions)");
    } else {
      // Every page, B-tree, record, NOT NULL and CHECK of the file; then in full each table that has
      // more to check (its indexes' entries, a WITHOUT ROWID table's key order): of a rowid table
      // without an index, integrity_check checks what quick_check does. What this leaves out, verify
      // checks in its own reads: the positions indexes' entries against the replay, the postings'
      // key order as it reads them all in that order.
      pragmas.push_back("PRAGMA quick_check(20)");
      SQLite::Statement tables(m->db, "SELECT name FROM sqlite_schema AS t WHERE type = 'table' "
                                      "AND name NOT IN ('positions', 'postings') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                                      "AND (sql LIKE '%WITHOUT ROWID%' OR EXISTS (SELECT 1 FROM sqlite_schema AS i "
                                      "WHERE i.type = 'index' AND i.tbl_name = t.name)) ORDER BY name");
      while (tables.executeStep()) {
        pragmas.push_back("PRAGMA integrity_check(\"" + tables.getColumn(0).getString() + "\")");
      }
    }
    for (const auto& pragma : pragmas) {
      SQLite::Statement q(m->db, pragma);
      while (q.executeStep() && problems.size() < 20) {
        std::string line = q.getColumn(0).getString();
        if (line != "ok") problems.push_back(std::move(line));
      }
    }
    return problems;
  } catch (const SQLite::Exception& e) {
    // SQLite lists the pages it found damaged, then may stop at one it cannot read at all.
    if (problems.empty()) return std::unexpected(sqlite_error(m->path, e));
    problems.push_back(std::string("the check stopped there (SQLite: ") + e.what() + ")");
    return problems;
  }
}

Result<int64_t> Journal::row_count(std::string_view table) {
  try {
    return m->db.execAndGet("SELECT count(*) FROM " + std::string(table)).getInt64();
  } catch (const SQLite::Exception& e) {
    return std::unexpected(sqlite_error(m->path, e));
  }
}

}  // namespace nexadex::journal
