// cli/price_csv.cpp: the at,market,price rows of a `price import` file, split by libcsv.
#include "cli/price_csv.hpp"

#include <csv.h>

#include <optional>
#include <vector>

namespace nexadex::cli {
namespace {

// The fields of one CSV line, unquoted by libcsv.
Result<std::vector<std::string>> csv_fields(std::string_view line) {
  struct csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0) {
    return input_error("cannot start the CSV parser.");
  }
  std::vector<std::string> fields;
  auto on_field = [](void* data, size_t len, void* out) {
    static_cast<std::vector<std::string>*>(out)->emplace_back(data ? static_cast<const char*>(data) : "", data ? len : 0);
  };
  const bool ok = csv_parse(&parser, line.data(), line.size(), on_field, nullptr, &fields) == line.size() &&
                  csv_fini(&parser, on_field, nullptr, &fields) == 0;
  csv_free(&parser);
  if (!ok) return input_error("it is not valid CSV (a quote is not closed); close the quote or remove it.");
  return fields;
}

}  // namespace

Status for_each_price_row(std::string_view text, const std::string& name,
                          const std::function<Status(const PriceRow&)>& fn) {
  std::string_view rest = text;
  int64_t line_no = 0;
  std::optional<Timestamp> prev;
  int64_t prev_line = 0;
  while (!rest.empty()) {
    const auto nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    auto where = [&](const Error& e) {
      return std::unexpected(Error{e.kind, name + " line " + std::to_string(line_no) + ": " + e.message});
    };
    auto fields = csv_fields(line);
    if (!fields) return where(fields.error());
    if (line_no == 1 && *fields == std::vector<std::string>{"at", "market", "price"}) continue;
    if (fields->size() != 3) {
      return where(Error{ErrorKind::input, "expected 3 fields at,market,price but found " +
                                               std::to_string(fields->size()) + "; fix that line."});
    }
    auto at = parse_time((*fields)[0], "the time");
    if (!at) return where(at.error());
    auto price = parse_price((*fields)[2], "the price");
    if (!price) return where(price.error());
    if (prev && *at < *prev) {
      return where(Error{ErrorKind::rule, "the time " + format_time(*at) + " is before line " +
                                              std::to_string(prev_line) + "'s " + format_time(*prev) +
                                              "; sort the file by time."});
    }
    prev = *at;
    prev_line = line_no;
    if (auto done = fn(PriceRow{line_no, *at, std::move((*fields)[1]), *price}); !done) return where(done.error());
  }
  return {};
}

}  // namespace nexadex::cli
