#include "api/json_body.h"

#include <gtest/gtest.h>

#include "api/error_mapping.h"

namespace md::api {
namespace {

TEST(JsonBodyTest, RefusesMalformedAndNonObjectBodies) {
  EXPECT_EQ(ParseJsonObject("{").status().message(), "bad request data: the body is not valid JSON");
  EXPECT_EQ(ParseJsonObject("[1]").status().message(), "bad request data: expected a JSON object");
  EXPECT_EQ(ParseJsonObject("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(ParseJsonObject(R"({"a":1})").ok());
}

TEST(JsonBodyTest, FieldErrorsNameTheFieldNotTheValue) {
  auto body = *ParseJsonObject(R"({"login": 42, "password": "", "isGrafanaAdmin": "yes", "ttl": 1.5})");
  EXPECT_EQ(OptionalString(body, "login").status().message(), "login must be a string");
  EXPECT_EQ(RequiredString(body, "password").status().message(), "password is required");
  EXPECT_EQ(RequiredString(body, "email").status().message(), "email is required");
  EXPECT_EQ(RequiredBool(body, "isGrafanaAdmin").status().message(), "isGrafanaAdmin must be a boolean");
  EXPECT_EQ(OptionalInteger(body, "ttl").status().message(), "ttl must be an integer");
  EXPECT_FALSE(OptionalString(body, "absent")->has_value());
}

TEST(JsonBodyTest, PositiveIdsOnly) {
  EXPECT_EQ(*PositiveId("12", "id"), 12);
  EXPECT_FALSE(PositiveId("0", "id").ok());
  EXPECT_FALSE(PositiveId("-1", "id").ok());
  EXPECT_FALSE(PositiveId("1x", "id").ok());
  EXPECT_FALSE(PositiveId("", "id").ok());
}

TEST(ErrorMappingTest, MapsCodesToHttp) {
  EXPECT_EQ(HttpStatusFor(StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(StatusCode::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInternal), 500);
}

}  // namespace
}  // namespace md::api
