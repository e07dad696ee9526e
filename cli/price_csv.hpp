// cli/price_csv.hpp: the rows of a `price import` file (at,market,price CSV), read without I/O so
// that the command and the fuzz target (tests/fuzz/price_csv_fuzz.cpp) read it the same way.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "lib/error.hpp"
#include "lib/money.hpp"
#include "lib/time.hpp"

namespace nexadex::cli {

// One row: its 1-based line in the file, the time, the market as written (unquoted), the price (> 0).
struct PriceRow {
  int64_t line_no = 0;
  Timestamp at;
  std::string market;
  Price price;
};

// Calls `fn` with each row of `text` in file order (lines end in \n or \r\n; blank lines and a first
// line "at,market,price" are skipped) and stops at the first error. Errors, each prefixed with
// "<name> line <n>: ": a line that is not CSV or has other than 3 fields, a time or a price that does
// not parse (ErrorKind::input), a time before the previous row's (ErrorKind::rule), or the error `fn`
// returned for that row.
Status for_each_price_row(std::string_view text, const std::string& name,
                          const std::function<Status(const PriceRow&)>& fn);

}  // namespace nexadex::cli
