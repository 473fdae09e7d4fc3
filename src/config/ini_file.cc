#include "config/ini_file.h"

#include <algorithm>

namespace md::config {
namespace {

constexpr std::string_view kBlank = " \t\r\n";
constexpr std::string_view kTripleQuote = R"(""")";

std::string_view Trim(std::string_view s) {
  const size_t begin = s.find_first_not_of(kBlank);
  if (begin == std::string_view::npos) {
    return {};
  }
  const size_t end = s.find_last_not_of(kBlank);
  return s.substr(begin, end - begin + 1);
}

// A plain value: an inline comment is cut, then one pair of "..." or `...` quotes removed.
std::string PlainValue(std::string_view raw) {
  std::string_view v = Trim(raw);
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '`')) {
    const size_t close = v.find(v.front(), 1);
    if (close != std::string_view::npos) {
      return std::string(v.substr(1, close - 1));
    }
  }
  const size_t comment = v.find_first_of("#;");
  if (comment != std::string_view::npos) {
    v = Trim(v.substr(0, comment));
  }
  return std::string(v);
}

class Parser {
 public:
  Parser(std::string_view text, std::string_view origin) : text_(text), origin_(origin) {}

  Result<IniFile> Run() {
    while (NextLine()) {
      const std::string_view line = Trim(line_);
      if (line.empty() || line.front() == ';' || line.front() == '#') {
        continue;
      }
      const Status status = line.front() == '[' ? Section(line) : KeyValue(line);
      if (!status.ok()) {
        return status;
      }
    }
    return std::move(ini_);
  }

 private:
  bool NextLine() {
    if (pos_ > text_.size()) {
      return false;
    }
    const size_t end = std::min(text_.find('\n', pos_), text_.size());
    line_ = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    ++line_number_;
    return true;
  }

  Status Error(const std::string& what) const {
    return InvalidArgumentError(std::string(origin_) + ":" + std::to_string(line_number_) + ": " +
                                what);
  }

  Status Section(std::string_view line) {
    const size_t close = line.find(']');
    if (close == std::string_view::npos) {
      return Error("section header without a closing ']'");
    }
    section_ = std::string(Trim(line.substr(1, close - 1)));
    if (section_.empty()) {
      return Error("empty section name");
    }
    if (!ini_.HasSection(section_)) {
      ini_.Set(section_, "", "");  // creates the section; the empty key is dropped below
    }
    return OkStatus();
  }

  Status KeyValue(std::string_view line) {
    const size_t eq = line.find_first_of("=:");
    if (eq == std::string_view::npos) {
      return Error("expected 'key = value'");
    }
    const std::string key(Trim(line.substr(0, eq)));
    if (key.empty()) {
      return Error("empty key name");
    }
    std::string_view raw = Trim(line.substr(eq + 1));
    if (raw.starts_with(kTripleQuote)) {
      return TripleQuoted(key, raw.substr(kTripleQuote.size()));
    }
    ini_.Set(section_, key, PlainValue(raw));
    return OkStatus();
  }

  Status TripleQuoted(const std::string& key, std::string_view rest) {
    std::string value;
    while (true) {
      const size_t close = rest.find(kTripleQuote);
      if (close != std::string_view::npos) {
        value.append(rest.substr(0, close));
        ini_.Set(section_, key, std::move(value));
        return OkStatus();
      }
      value.append(rest);
      if (!NextLine()) {
        return Error("value of '" + key + "' has no closing \"\"\"");
      }
      value.push_back('\n');
      rest = line_;
    }
  }

  std::string_view text_;
  std::string_view origin_;
  size_t pos_ = 0;
  int line_number_ = 0;
  std::string_view line_;
  std::string section_;
  IniFile ini_;
};

}  // namespace

Result<IniFile> IniFile::Parse(std::string_view text, std::string_view origin) {
  return Parser(text, origin).Run();
}

bool IniFile::HasSection(const std::string& section) const {
  return sections_.contains(section);
}

const std::string* IniFile::Get(const std::string& section, const std::string& key) const {
  const auto s = sections_.find(section);
  if (s == sections_.end()) {
    return nullptr;
  }
  const auto k = s->second.find(key);
  return k == s->second.end() ? nullptr : &k->second;
}

void IniFile::Set(const std::string& section, const std::string& key, std::string value) {
  auto [it, inserted] = sections_.try_emplace(section);
  if (inserted) {
    order_.push_back(section);
  }
  if (!key.empty()) {
    it->second[key] = std::move(value);
  }
}

void IniFile::Merge(const IniFile& other) {
  for (const std::string& section : other.order_) {
    Set(section, "", "");
    for (const auto& [key, value] : other.Keys(section)) {
      Set(section, key, value);
    }
  }
}

const std::map<std::string, std::string>& IniFile::Keys(const std::string& section) const {
  static const std::map<std::string, std::string> kEmpty;
  const auto it = sections_.find(section);
  return it == sections_.end() ? kEmpty : it->second;
}

}  // namespace md::config
