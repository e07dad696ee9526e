// journal/config_toml.hpp: the TOML config file (nexadex.toml(5)) to and from lib::Config.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "lib/config.hpp"

namespace nexadex::journal {

// Parses and validates a config. Errors (ErrorKind::input) name the file, the line and the key: a
// syntax error, an unknown key (a typo never falls back to a default), a wrong type, a value out of
// range, a float where an exact amount is needed.
Result<Config> parse_config(std::string_view text, std::string_view file_name);

// The effective config with every default filled in, as TOML that parse_config accepts again
// ([tranches] only when it is on: its presence is what turns it on).
std::string config_to_toml(const Config& config);

// The same as JSON: amounts, durations and layer names as strings, bps and counts as integers,
// tranches.enabled as a boolean.
nlohmann::json config_to_json(const Config& config);

// The inverse of config_to_json (the journal caches the parsed config so); every key required.
Result<Config> config_from_json(std::string_view json_text);

}  // namespace nexadex::journal
