// lib/error.hpp: Result<T> = std::expected<T, Error>; the error kinds map one-to-one to exit codes.
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace nexadex {

// SPEC §8 exit codes: input 1, rule 2, journal 3, discrepancy 4.
enum class ErrorKind { input, rule, journal, discrepancy };

struct Error {
  ErrorKind kind;
  std::string message;  // one sentence: what was wrong, the numbers, what to do
};

template <class T>
using Result = std::expected<T, Error>;

using Status = Result<void>;

inline std::unexpected<Error> input_error(std::string message) {
  return std::unexpected(Error{ErrorKind::input, std::move(message)});
}
inline std::unexpected<Error> rule_error(std::string message) {
  return std::unexpected(Error{ErrorKind::rule, std::move(message)});
}
inline std::unexpected<Error> journal_error(std::string message) {
  return std::unexpected(Error{ErrorKind::journal, std::move(message)});
}
inline std::unexpected<Error> discrepancy_error(std::string message) {
  return std::unexpected(Error{ErrorKind::discrepancy, std::move(message)});
}

// Exit status for an error kind (SPEC §8).
constexpr int exit_code(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::input: return 1;
    case ErrorKind::rule: return 2;
    case ErrorKind::journal: return 3;
    case ErrorKind::discrepancy: return 4;
  }
  return 1;
}

}  // namespace nexadex

// Inside a function returning Result or Status: evaluates `expr` (a Result), returns its error, or
// declares `var` holding its value (moved out, not copied).
#define NX_TRY(var, expr)                                \
  auto var##_r = (expr);                                 \
  if (!var##_r) return std::unexpected(var##_r.error()); \
  auto var = std::move(*var##_r)

// The same for a Status (or a Result whose value is not wanted): returns its error, if any.
#define NX_TRY_STATUS(expr)                                                    \
  do {                                                                         \
    if (auto nx_try_status_r = (expr); !nx_try_status_r) {                     \
      return std::unexpected(nx_try_status_r.error());                         \
    }                                                                          \
  } while (false)
