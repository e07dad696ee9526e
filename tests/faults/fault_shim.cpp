// tests/faults/fault_shim.cpp: an LD_PRELOAD shim that makes the N-th I/O call on a journal's files
// fail (or kills the process there), for tests/e2e/fault_test.sh and crash_test.sh (issue 15 items 3
// and 4), as SQLite's own test VFS does. Built in the test build only; never linked into nexadex.
//
// Only calls on the journal's files count: a file whose name is NEXADEX_FAULT_FILE's last component,
// or that name followed by -wal, -shm or -journal (so stdout, stderr and the batch file do not).
// The classes of calls:
//   open   open, open64, openat, openat64
//   write  write, pwrite, pwrite64, writev
//   trunc  ftruncate, ftruncate64
//   sync   fsync, fdatasync
//   lock   fcntl(F_SETLK/F_SETLKW/F_OFD_SETLK/F_OFD_SETLKW), locks and unlocks alike
// Environment:
//   NEXADEX_FAULT_FILE=PATH     the journal (required; without it the shim does nothing)
//   NEXADEX_FAULT_OP=CLASS|any  the class counted for NEXADEX_FAULT_AT (default any)
//   NEXADEX_FAULT_AT=N          the N-th call of that class (1-based) fails; unset or 0: none does
//   NEXADEX_FAULT_ERRNO=NAME    ENOSPC, EIO, EACCES, EAGAIN, EROFS, EDQUOT, EPERM or a number (default EIO)
//   NEXADEX_FAULT_PERSIST=1     every call of the class from the N-th on fails (a disk that stays full)
//   NEXADEX_FAULT_KILL=1        instead of failing, the process kills itself with SIGKILL just before
//                               the N-th call (a crash at that point: the call never happens)
//   NEXADEX_FAULT_COUNT=FILE    at exit, appends "open N write N trunc N sync N lock N any N" to FILE
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

enum Op { op_open, op_write, op_trunc, op_sync, op_lock, op_count };
const char* const k_op_names[op_count] = {"open", "write", "trunc", "sync", "lock"};
constexpr int k_any = op_count;   // NEXADEX_FAULT_OP=any
constexpr int k_max_fd = 4096;

struct Config {
  bool active = false;
  char name[512] = {};   // the journal's file name, without its directory
  int op = k_any;
  long at = 0;
  int err = EIO;
  bool persist = false;
  bool kill = false;
  const char* count_file = nullptr;
};

Config g_cfg;
bool g_ready = false;
long g_counts[op_count + 1] = {};
bool g_tracked[k_max_fd] = {};

int errno_of(const char* s) {
  if (s == nullptr || *s == 0) return EIO;
  static const struct { const char* name; int value; } k_names[] = {
      {"ENOSPC", ENOSPC}, {"EIO", EIO},     {"EACCES", EACCES}, {"EAGAIN", EAGAIN},
      {"EROFS", EROFS},   {"EDQUOT", EDQUOT}, {"EPERM", EPERM},   {"EINTR", EINTR},
  };
  for (const auto& n : k_names) {
    if (std::strcmp(n.name, s) == 0) return n.value;
  }
  const int v = std::atoi(s);
  return v > 0 ? v : EIO;
}

void write_counts() {
  if (g_cfg.count_file == nullptr || g_counts[k_any] == 0) return;   // a process that never touched it
  FILE* f = std::fopen(g_cfg.count_file, "a");
  if (f == nullptr) return;
  for (int i = 0; i < op_count; ++i) std::fprintf(f, "%s %ld ", k_op_names[i], g_counts[i]);
  std::fprintf(f, "any %ld\n", g_counts[k_any]);
  std::fclose(f);
}

void setup() {
  if (g_ready) return;
  g_ready = true;
  const char* file = std::getenv("NEXADEX_FAULT_FILE");
  if (file == nullptr || *file == 0) return;
  const char* slash = std::strrchr(file, '/');
  std::snprintf(g_cfg.name, sizeof g_cfg.name, "%s", slash ? slash + 1 : file);
  if (const char* op = std::getenv("NEXADEX_FAULT_OP"); op != nullptr && *op != 0 && std::strcmp(op, "any") != 0) {
    g_cfg.op = -1;
    for (int i = 0; i < op_count; ++i) {
      if (std::strcmp(op, k_op_names[i]) == 0) g_cfg.op = i;
    }
    if (g_cfg.op < 0) {
      std::fprintf(stderr, "fault_shim: unknown NEXADEX_FAULT_OP '%s'\n", op);
      std::_Exit(99);
    }
  }
  if (const char* at = std::getenv("NEXADEX_FAULT_AT")) g_cfg.at = std::atol(at);
  g_cfg.err = errno_of(std::getenv("NEXADEX_FAULT_ERRNO"));
  const char* persist = std::getenv("NEXADEX_FAULT_PERSIST");
  g_cfg.persist = persist != nullptr && std::strcmp(persist, "1") == 0;
  const char* kill = std::getenv("NEXADEX_FAULT_KILL");
  g_cfg.kill = kill != nullptr && std::strcmp(kill, "1") == 0;
  g_cfg.count_file = std::getenv("NEXADEX_FAULT_COUNT");
  g_cfg.active = true;
  if (g_cfg.count_file != nullptr) std::atexit(write_counts);
}

// Whether `path` names one of the journal's files.
bool journal_path(const char* path) {
  setup();
  if (!g_cfg.active || path == nullptr) return false;
  const char* slash = std::strrchr(path, '/');
  const char* base = slash ? slash + 1 : path;
  const size_t n = std::strlen(g_cfg.name);
  if (std::strncmp(base, g_cfg.name, n) != 0) return false;
  const char* rest = base + n;
  return *rest == 0 || std::strcmp(rest, "-wal") == 0 || std::strcmp(rest, "-shm") == 0 ||
         std::strcmp(rest, "-journal") == 0;
}

bool tracked(int fd) {
  setup();
  return g_cfg.active && fd >= 0 && fd < k_max_fd && g_tracked[fd];
}

// Counts a call of class `op` on a journal file; true when it is to fail (errno is then set).
bool fault(int op) {
  ++g_counts[op];
  ++g_counts[k_any];
  if (g_cfg.at <= 0) return false;
  const long n = g_cfg.op == k_any ? g_counts[k_any] : (g_cfg.op == op ? g_counts[op] : 0);
  if (n == 0) return false;
  if (n == g_cfg.at || (g_cfg.persist && n > g_cfg.at)) {
    if (g_cfg.kill) ::kill(::getpid(), SIGKILL);
    errno = g_cfg.err;
    return true;
  }
  return false;
}

template <class F>
F real(const char* name) {
  return reinterpret_cast<F>(::dlsym(RTLD_NEXT, name));
}

// An open of any kind: fails it when it is the chosen call on the journal's files, else makes it
// through `call` (the real function, resolved by the wrapper) and tracks the descriptor.
template <class Call>
int tracked_open(const char* path, Call call) {
  const bool ours = journal_path(path);
  if (ours && fault(op_open)) return -1;
  const int fd = call();
  if (fd >= 0 && fd < k_max_fd) g_tracked[fd] = ours;
  return fd;
}

}  // namespace

// Each wrapper resolves the real function once; `static` locals keep one pointer per wrapper.
#define NX_MODE(flags, mode)                                   \
  mode_t mode = 0;                                             \
  if ((flags) & (O_CREAT | O_TMPFILE)) {                       \
    va_list ap;                                                \
    va_start(ap, flags);                                       \
    mode = static_cast<mode_t>(va_arg(ap, int));               \
    va_end(ap);                                                \
  }

extern "C" {

int open(const char* path, int flags, ...) {
  NX_MODE(flags, mode);
  static auto f = real<int (*)(const char*, int, ...)>("open");
  return tracked_open(path, [&] { return f(path, flags, mode); });
}

int open64(const char* path, int flags, ...) {
  NX_MODE(flags, mode);
  static auto f = real<int (*)(const char*, int, ...)>("open64");
  return tracked_open(path, [&] { return f(path, flags, mode); });
}

int openat(int dirfd, const char* path, int flags, ...) {
  NX_MODE(flags, mode);
  static auto f = real<int (*)(int, const char*, int, ...)>("openat");
  return tracked_open(path, [&] { return f(dirfd, path, flags, mode); });
}

int openat64(int dirfd, const char* path, int flags, ...) {
  NX_MODE(flags, mode);
  static auto f = real<int (*)(int, const char*, int, ...)>("openat64");
  return tracked_open(path, [&] { return f(dirfd, path, flags, mode); });
}

int close(int fd) {
  if (fd >= 0 && fd < k_max_fd) g_tracked[fd] = false;
  static auto f = real<int (*)(int)>("close");
  return f(fd);
}

ssize_t write(int fd, const void* buf, size_t n) {
  if (tracked(fd) && fault(op_write)) return -1;
  static auto f = real<ssize_t (*)(int, const void*, size_t)>("write");
  return f(fd, buf, n);
}

ssize_t pwrite(int fd, const void* buf, size_t n, off_t off) {
  if (tracked(fd) && fault(op_write)) return -1;
  static auto f = real<ssize_t (*)(int, const void*, size_t, off_t)>("pwrite");
  return f(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void* buf, size_t n, off64_t off) {
  if (tracked(fd) && fault(op_write)) return -1;
  static auto f = real<ssize_t (*)(int, const void*, size_t, off64_t)>("pwrite64");
  return f(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec* iov, int count) {
  if (tracked(fd) && fault(op_write)) return -1;
  static auto f = real<ssize_t (*)(int, const struct iovec*, int)>("writev");
  return f(fd, iov, count);
}

int ftruncate(int fd, off_t len) {
  if (tracked(fd) && fault(op_trunc)) return -1;
  static auto f = real<int (*)(int, off_t)>("ftruncate");
  return f(fd, len);
}

int ftruncate64(int fd, off64_t len) {
  if (tracked(fd) && fault(op_trunc)) return -1;
  static auto f = real<int (*)(int, off64_t)>("ftruncate64");
  return f(fd, len);
}

int fsync(int fd) {
  if (tracked(fd) && fault(op_sync)) return -1;
  static auto f = real<int (*)(int)>("fsync");
  return f(fd);
}

int fdatasync(int fd) {
  if (tracked(fd) && fault(op_sync)) return -1;
  static auto f = real<int (*)(int)>("fdatasync");
  return f(fd);
}

using Fcntl = int (*)(int, int, ...);

static int do_fcntl(Fcntl f, int fd, int cmd, void* arg) {
  const bool lock = cmd == F_SETLK || cmd == F_SETLKW || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW;
  if (lock && tracked(fd) && fault(op_lock)) return -1;
  if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) {
    const int nfd = f(fd, cmd, arg);
    if (nfd >= 0 && nfd < k_max_fd) g_tracked[nfd] = tracked(fd);
    return nfd;
  }
  return f(fd, cmd, arg);
}

int fcntl(int fd, int cmd, ...) {
  va_list ap;
  va_start(ap, cmd);
  void* arg = va_arg(ap, void*);
  va_end(ap);
  static auto f = real<Fcntl>("fcntl");
  return do_fcntl(f, fd, cmd, arg);
}

int fcntl64(int fd, int cmd, ...) {
  va_list ap;
  va_start(ap, cmd);
  void* arg = va_arg(ap, void*);
  va_end(ap);
  static auto f = real<Fcntl>("fcntl64");
  return do_fcntl(f, fd, cmd, arg);
}

}  // extern "C"
