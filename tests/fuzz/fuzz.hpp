// tests/fuzz/fuzz.hpp: what every fuzz target shares. A target is one LLVMFuzzerTestOneInput; the
// libFuzzer build (NEXADEX_FUZZ) links each alone, the regression runner (replay.cpp) links them all,
// each renamed by -DLLVMFuzzerTestOneInput=... (see tests/fuzz/CMakeLists.txt).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

// A violated invariant: says which, and aborts (libFuzzer saves the input; the runner fails).
#define FUZZ_CHECK(cond, detail)                                                                   \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      std::fprintf(stderr, "fuzz invariant failed at %s:%d: %s\n  %s\n", __FILE__, __LINE__, #cond, \
                   std::string(detail).c_str());                                                   \
      std::abort();                                                                                \
    }                                                                                              \
  } while (false)

namespace nexadex::fuzz {

inline std::string_view as_text(const uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace nexadex::fuzz
