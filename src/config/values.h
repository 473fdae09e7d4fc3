// Parsers for typed config values. They return std::nullopt on a bad value; the caller builds the
// error message, because only it knows the section.key and whether the value is a secret.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace md::config {

// Go time.ParseDuration syntax: a sequence of decimal numbers with units ns, us (µs), ms, s, m, h,
// e.g. "15m", "1h30m", "500ms", "1.5h". A bare "0" is accepted; any other unit-less number and
// negative durations are not. Sub-millisecond remainders are truncated.
std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text);

// A decimal integer within [min, max], surrounding blanks allowed.
std::optional<int64_t> ParseInt(std::string_view text, int64_t min, int64_t max);

// A byte count: an integer with an optional suffix B, KB, MB, GB (powers of 1024, any case).
std::optional<int64_t> ParseByteSize(std::string_view text);

// Items separated by blanks and/or commas, empty items dropped.
std::vector<std::string> SplitList(std::string_view text);

std::string ToLower(std::string_view text);

}  // namespace md::config
