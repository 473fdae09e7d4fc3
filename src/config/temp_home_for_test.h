// TempHome: a throw-away homepath with the shipped conf/defaults.ini, for config tests.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace md::config {

class TempHome {
 public:
  TempHome() {
    std::string templ = (std::filesystem::temp_directory_path() / "md-config-XXXXXX").string();
    path_ = mkdtemp(templ.data());
    std::filesystem::create_directories(path_ / "conf");
    std::filesystem::copy_file(std::filesystem::path(MD_SOURCE_DIR) / "conf" / "defaults.ini",
                               path_ / "conf" / "defaults.ini");
  }
  ~TempHome() { std::filesystem::remove_all(path_); }
  TempHome(const TempHome&) = delete;
  TempHome& operator=(const TempHome&) = delete;

  std::string path() const { return path_.string(); }
  // Writes <home>/<relative>; returns its absolute path.
  std::string Write(const std::string& relative, const std::string& text) const {
    const auto file = path_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file) << text;
    return file.string();
  }

 private:
  std::filesystem::path path_;
};

}  // namespace md::config
