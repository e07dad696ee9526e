// tests/fuzz/journal_file_fuzz.cpp: the journal's reading of a file it did not write (journal/identify
// and Journal::open for reading, then everything a reader does: load the state, scan the events,
// replay, verify, SQLite's integrity check), on mutated journal files: header, pages, rows. The input
// is written to a temporary file; whatever it holds, every failure is an Error value (no exception
// leaves journal/), and nothing is written: the file is left byte for byte as it was, with no frame
// in a -wal file and no rollback journal beside it.
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "journal/identify.hpp"
#include "journal/journal.hpp"
#include "tests/fuzz/fuzz.hpp"

namespace {

using namespace nexadex;

const std::string& work_dir() {
  static const std::string dir = [] {
    std::string templ = (std::filesystem::temp_directory_path() / "nexadex-fuzz-XXXXXX").string();
    FUZZ_CHECK(::mkdtemp(templ.data()) != nullptr, "cannot make a temporary directory");
    return templ;
  }();
  return dir;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void check_error(const Error& e, const std::string& what) {
  FUZZ_CHECK(!e.message.empty(), what + ": an empty message");
  FUZZ_CHECK(e.kind == ErrorKind::journal || e.kind == ErrorKind::discrepancy || e.kind == ErrorKind::input,
             what + ": " + e.message);
}

// Everything a reader does with an opened journal; each step's failure must be a value.
void read_all(journal::Journal& j) {
  if (auto state = j.load_state(); !state) check_error(state.error(), "load_state");
  const auto count = j.event_count();
  if (!count) {
    check_error(count.error(), "event_count");
    return;
  }
  int64_t seen = 0;
  const auto scanned = j.scan(1, *count, [&](const journal::StoredEvent& row) -> Status {
    ++seen;
    if (auto event = journal::decode(row); !event) check_error(event.error(), "decode");
    return {};
  });
  if (!scanned) check_error(scanned.error(), "scan");
  if (auto replayed = j.replay(std::nullopt, std::nullopt); !replayed) check_error(replayed.error(), "replay");
  if (auto checked = j.integrity_check(); !checked) check_error(checked.error(), "integrity_check");
  const auto verified = j.verify({});
  if (!verified) {
    check_error(verified.error(), "verify");
  } else {
    for (const auto& d : verified->problems) FUZZ_CHECK(!d.check.empty() && !d.message.empty(), "an empty finding");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::string path = work_dir() + "/journal.db";
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    FUZZ_CHECK(out.good(), "cannot write " + path);
  }
  try {
    if (auto known = journal::identify(path); !known) check_error(known.error(), "identify");
    auto j = journal::Journal::open(path, journal::Access::read);
    if (!j) {
      check_error(j.error(), "open");
    } else {
      read_all(*j);
    }
  } catch (const std::exception& e) {
    FUZZ_CHECK(false, std::string("an exception left journal/: ") + e.what());
  }
  FUZZ_CHECK(slurp(path) == bytes, "reading the journal changed its bytes");
  // SQLite's shared WAL reader may leave an empty -wal and its -shm index where the journal is
  // writable (journal/session.cpp, ReadMode::shared), never a frame nor a rollback journal.
  std::error_code ec;
  const auto wal_size = std::filesystem::file_size(path + "-wal", ec);
  FUZZ_CHECK(ec || wal_size == 0, "reading the journal wrote " + std::to_string(wal_size) + " bytes of -wal");
  FUZZ_CHECK(!std::filesystem::exists(path + "-journal"), "reading the journal left a rollback journal");
  for (const char* side : {"-wal", "-shm", "-journal"}) std::filesystem::remove(path + side);
  return 0;
}
