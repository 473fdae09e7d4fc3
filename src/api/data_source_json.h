// The JSON of Grafana's data source API: the request body of create/update, and the DTO returned
// for a row (never secureJsonData; secureJsonFields instead).
#pragma once

#include <map>
#include <optional>
#include <string>

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "resources/data_source.h"

namespace md::api {

struct DataSourceRequest {
  resources::DataSource fields;
  std::optional<int> version;
  resources::PlainSecrets secure_json_data;
};

// InvalidArgument naming the problem: bad JSON, a field of the wrong type, a missing name/type.
Result<DataSourceRequest> ParseDataSourceRequest(const httplib::Request& request);

nlohmann::json DataSourceJson(const resources::DataSource& ds,
                              const std::map<std::string, bool>& secure_json_fields);

}  // namespace md::api
