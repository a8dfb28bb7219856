// Tests for reading credentials from the environment.
#include "aws/credentials.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <string>

namespace unum::aws {
namespace {

using namespace std::string_literals;

TEST(CredentialsTest, ReadsTheStandardVariables) {
  setenv("AWS_ACCESS_KEY_ID", "AKIDTEST", 1);
  setenv("AWS_SECRET_ACCESS_KEY", "secret-value", 1);
  unsetenv("AWS_SESSION_TOKEN");
  Result<AwsCredentials> c = CredentialsFromEnvironment();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->access_key_id, "AKIDTEST");
  EXPECT_EQ(c->secret_access_key, "secret-value");
  EXPECT_EQ(c->session_token, "");
  EXPECT_EQ(c->Describe(), "AKIDTEST (session token: no)");

  setenv("AWS_SESSION_TOKEN", "token-value", 1);
  c = CredentialsFromEnvironment();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->session_token, "token-value");
  // The description never contains a secret.
  EXPECT_EQ(c->Describe(), "AKIDTEST (session token: yes)");

  unsetenv("AWS_SECRET_ACCESS_KEY");
  c = CredentialsFromEnvironment();
  EXPECT_EQ(c.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(c.status().message(),
            "AWS credentials: AWS_SECRET_ACCESS_KEY is not set");
  unsetenv("AWS_ACCESS_KEY_ID");
  unsetenv("AWS_SESSION_TOKEN");
}

TEST(CredentialsTest, RegionFallsBackToDefaultRegion) {
  unsetenv("AWS_REGION");
  setenv("AWS_DEFAULT_REGION", "eu-west-1", 1);
  EXPECT_EQ(RegionFromEnvironment(), "eu-west-1");
  setenv("AWS_REGION", "us-west-2", 1);
  EXPECT_EQ(RegionFromEnvironment(), "us-west-2");
  unsetenv("AWS_REGION");
  unsetenv("AWS_DEFAULT_REGION");
  EXPECT_EQ(RegionFromEnvironment(), "");
}

}  // namespace
}  // namespace unum::aws
