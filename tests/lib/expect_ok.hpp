// tests/lib/expect_ok.hpp: the value of a Result a test expects to succeed, the test failing with the
// error's message otherwise.
#pragma once

#include <catch2/catch.hpp>

#include "lib/error.hpp"

namespace nexadex::test {

template <class T>
T ok(Result<T> r) {
  if (!r) FAIL(r.error().message);
  return *r;
}

inline void ok_status(const Status& s) {
  if (!s) FAIL(s.error().message);
}

}  // namespace nexadex::test
