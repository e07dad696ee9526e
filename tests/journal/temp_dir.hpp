// tests/journal/temp_dir.hpp: a fresh directory under /tmp for a test's journals, removed with
// everything in it at the end of the test.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <set>
#include <stdexcept>
#include <string>
#include <system_error>

namespace nexadex::test {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = "/tmp/nexadex-test-XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    m_path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string file(const std::string& name) const { return (m_path / name).string(); }
  // The names in the directory, to see that nothing was created beside a file.
  std::set<std::string> names() const {
    std::set<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(m_path)) out.insert(e.path().filename().string());
    return out;
  }

 private:
  std::filesystem::path m_path;
};

}  // namespace nexadex::test
