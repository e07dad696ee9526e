// tests/cli/tokenize_test.cpp: splitting `run` lines into words, plain and quoted.
#include <catch2/catch.hpp>

#include "cli/commands.hpp"

using nexadex::cli::tokenize;
using Words = std::vector<std::string>;

TEST_CASE("plain batch lines split on blanks", "[cli][batch]") {
  CHECK(*tokenize("price set BTC 65000 --at @1767225600") == Words{"price", "set", "BTC", "65000", "--at", "@1767225600"});
  CHECK(*tokenize("  price\tshow  \r") == Words{"price", "show"});
  CHECK(tokenize("")->empty());
  CHECK(tokenize("   ")->empty());
}

TEST_CASE("quotes, escapes and comments", "[cli][batch]") {
  CHECK(*tokenize("config apply 'my file.toml'") == Words{"config", "apply", "my file.toml"});
  CHECK(*tokenize(R"(x "a \"b\" \\c" d)") == Words{"x", "a \"b\" \\c", "d"});
  CHECK(*tokenize(R"(x a\ b)") == Words{"x", "a b"});
  CHECK(*tokenize("price show # the latest") == Words{"price", "show"});
  CHECK(*tokenize("price set BTC 1#2") == Words{"price", "set", "BTC", "1#2"});  // '#' inside a word is kept
  CHECK(tokenize("# only a comment")->empty());
  CHECK(*tokenize("x ''") == Words{"x", ""});                                    // an empty quoted word
  CHECK_FALSE(tokenize("x 'open"));
  CHECK_FALSE(tokenize("x \"open"));
  CHECK_FALSE(tokenize("x \\"));
}
