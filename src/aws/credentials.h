// AwsCredentials: the access key pair (and optional session token) that
// SigV4 signs with, read from the standard environment variables.
//
// Secrets are never logged: use Describe() (the key id and whether a
// session token is set) in messages, never the fields themselves.
#ifndef UNUM_AWS_CREDENTIALS_H_
#define UNUM_AWS_CREDENTIALS_H_

#include <string>

#include "unum/status.h"

namespace unum::aws {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless temporary credentials

  // "AKID... (session token: yes)"; no secret.
  std::string Describe() const;
};

// Reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
// kFailedPrecondition naming the missing variable when the key pair is
// not set.
Result<AwsCredentials> CredentialsFromEnvironment();

// AWS_REGION, else AWS_DEFAULT_REGION, else "".
std::string RegionFromEnvironment();

}  // namespace unum::aws

#endif  // UNUM_AWS_CREDENTIALS_H_
