// tests/fuzz/price_csv_fuzz.cpp: the `price import` reader (cli/price_csv.hpp). Every row it hands
// on has a time in range and a price above zero, times never go back, line numbers rise; the rows
// written back as CSV (times in RFC 3339, the market quoted, prices at full precision) read back as
// the same rows; a refusal names the file and a line.
#include <vector>

#include "cli/price_csv.hpp"
#include "tests/fuzz/fuzz.hpp"

namespace {

using nexadex::cli::PriceRow;

std::string csv_quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace nexadex;
  const std::string_view text = fuzz::as_text(data, size);
  std::vector<PriceRow> rows;
  const auto read = cli::for_each_price_row(text, "fuzz.csv", [&](const PriceRow& row) -> Status {
    FUZZ_CHECK(row.at.seconds >= 0 && row.at.seconds <= 253402300799, std::to_string(row.at.seconds));
    FUZZ_CHECK(row.price.is_positive(), to_string(row.price));
    if (!rows.empty()) {
      FUZZ_CHECK(row.at >= rows.back().at, "a row goes back in time");
      FUZZ_CHECK(row.line_no > rows.back().line_no, "line numbers do not rise");
    }
    FUZZ_CHECK(row.market.find('\n') == std::string::npos, row.market);
    rows.push_back(row);
    return {};
  });
  if (!read) {
    FUZZ_CHECK(read.error().message.starts_with("fuzz.csv line "), read.error().message);
    FUZZ_CHECK(read.error().kind == ErrorKind::input || read.error().kind == ErrorKind::rule, read.error().message);
    return 0;
  }
  std::string written;
  for (const auto& row : rows) {
    written += format_time(row.at) + "," + csv_quoted(row.market) + "," + to_string(row.price) + "\r\n";
  }
  std::vector<PriceRow> back;
  const auto reread = cli::for_each_price_row(written, "again.csv", [&](const PriceRow& row) -> Status {
    back.push_back(row);
    return {};
  });
  FUZZ_CHECK(reread.has_value(), reread.error().message + "\n" + written);
  FUZZ_CHECK(back.size() == rows.size(), written);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    FUZZ_CHECK(back[i].at == rows[i].at && back[i].market == rows[i].market && back[i].price == rows[i].price,
               "row " + std::to_string(i + 1) + " of\n" + written);
    FUZZ_CHECK(back[i].line_no == static_cast<int64_t>(i + 1), written);
  }
  return 0;
}
