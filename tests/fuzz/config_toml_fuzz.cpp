// tests/fuzz/config_toml_fuzz.cpp: the strict TOML config reader (journal/config_toml.hpp), with
// [tranches] and [cascade]. An accepted config passes lib's validate(), and its re-serialisations
// read back to the same config: config_to_toml -> parse_config, and config_to_json ->
// config_from_json (the form the journal caches). Every refusal is an ErrorKind::input value.
#include "journal/config_toml.hpp"
#include "lib/config_keys.hpp"
#include "tests/fuzz/fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  using namespace nexadex;
  const std::string_view text = fuzz::as_text(data, size);
  const auto config = journal::parse_config(text, "fuzz.toml");
  if (!config) {
    FUZZ_CHECK(config.error().kind == ErrorKind::input, config.error().message);
    FUZZ_CHECK(!config.error().message.empty(), "an empty message");
    return 0;
  }
  const auto valid = validate(*config);
  FUZZ_CHECK(valid.has_value(), "parse_config accepted a config validate() refuses: " + valid.error().message);
  FUZZ_CHECK(!config->markets.empty(), "a config without markets");

  const std::string toml = journal::config_to_toml(*config);
  const auto again = journal::parse_config(toml, "again.toml");
  FUZZ_CHECK(again.has_value(), "config_to_toml's text is refused: " + again.error().message + "\n" + toml);
  const std::string json = journal::config_to_json(*config).dump();
  FUZZ_CHECK(journal::config_to_json(*again).dump() == json, "the TOML round trip changed the config:\n" + toml);
  FUZZ_CHECK(journal::config_to_toml(*again) == toml, "config_to_toml is not stable:\n" + toml);

  const auto cached = journal::config_from_json(json);
  FUZZ_CHECK(cached.has_value(), "config_to_json's text is refused: " + cached.error().message + "\n" + json);
  FUZZ_CHECK(journal::config_to_json(*cached).dump() == json, "the JSON round trip changed the config:\n" + json);
  return 0;
}
