// AwsCredentials: see credentials.h.
#include "aws/credentials.h"

#include <cstdlib>

namespace unum::aws {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

}  // namespace

std::string AwsCredentials::Describe() const {
  return access_key_id +
         " (session token: " + (session_token.empty() ? "no" : "yes") + ")";
}

Result<AwsCredentials> CredentialsFromEnvironment() {
  AwsCredentials c;
  c.access_key_id = Env("AWS_ACCESS_KEY_ID");
  c.secret_access_key = Env("AWS_SECRET_ACCESS_KEY");
  c.session_token = Env("AWS_SESSION_TOKEN");
  if (c.access_key_id.empty()) {
    return Status::FailedPrecondition(
        "AWS credentials: AWS_ACCESS_KEY_ID is not set");
  }
  if (c.secret_access_key.empty()) {
    return Status::FailedPrecondition(
        "AWS credentials: AWS_SECRET_ACCESS_KEY is not set");
  }
  return c;
}

std::string RegionFromEnvironment() {
  std::string region = Env("AWS_REGION");
  if (region.empty()) region = Env("AWS_DEFAULT_REGION");
  return region;
}

}  // namespace unum::aws
