// DEK ids and labels as Grafana writes them (grafana-formats.md §3.3-3.4).
#pragma once

#include <string>
#include <string_view>

#include "secrets/data_key.h"

namespace md::secrets {

// A random UUIDv4 string; a leading digit is replaced by a random 'a'-'f' (today's Grafana).
std::string NewDataKeyId();

// "YYYY-MM-DD/<scope>@<provider id>" with the server's local calendar date of `now`.
std::string DataKeyLabel(std::string_view scope, std::string_view provider_id, Clock::time_point now);

}  // namespace md::secrets
