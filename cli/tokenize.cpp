// cli/tokenize.cpp: shell-like word splitting for `run` lines (no expansion of any kind).
#include "cli/commands.hpp"

namespace nexadex::cli {

Result<std::vector<std::string>> tokenize(std::string_view line) {
  std::vector<std::string> words;
  if (line.find_first_of("'\"\\#") == std::string_view::npos) {
    // The common line: plain words between blanks.
    std::size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
      const std::size_t start = i;
      while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
      if (i > start) words.emplace_back(line.substr(start, i - start));
    }
    return words;
  }
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == ' ' || c == '\t' || c == '\r') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else if (c == '#' && !in_word) {
      break;
    } else if (c == '\'') {
      const auto end = line.find('\'', i + 1);
      if (end == std::string_view::npos) return input_error("a ' quote is not closed; close it or remove it.");
      word.append(line.substr(i + 1, end - i - 1));
      in_word = true;
      i = end;
    } else if (c == '"') {
      std::size_t j = i + 1;
      for (; j < line.size() && line[j] != '"'; ++j) {
        if (line[j] == '\\' && j + 1 < line.size() && (line[j + 1] == '"' || line[j + 1] == '\\')) ++j;
        word += line[j];
      }
      if (j >= line.size()) return input_error("a \" quote is not closed; close it or remove it.");
      in_word = true;
      i = j;
    } else if (c == '\\') {
      if (i + 1 >= line.size()) return input_error("a line may not end in a backslash.");
      word += line[++i];
      in_word = true;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

}  // namespace nexadex::cli
