// DynaliteServer: a dynalite child process (an implementation of the
// DynamoDB API on Node.js) on a free loopback port, for tests.
//
// The binary is $UNUM_DYNALITE, else tests/dynamodb-peer/node_modules/.bin/
// dynalite under the current directory (tests run in the source tree;
// tests/dynamodb-peer/install.sh installs it). It runs as a ChildProcess:
// it dies with the thread that started it.
//
// SharedTestDynamoDbEndpoint(): $UNUM_TEST_DYNAMODB_URL (an http://
// endpoint) when set, else one dynalite started on first use. Tests set
// AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY to "test" when unset (dynalite
// accepts any key).
#ifndef UNUM_DATASTORE_DYNAMODB_DYNALITE_TEST_SERVER_H_
#define UNUM_DATASTORE_DYNAMODB_DYNALITE_TEST_SERVER_H_

#include <memory>
#include <string>

#include "common/child_process.h"
#include "unum/status.h"

namespace unum::dynamodb::testing {

class DynaliteServer {
 public:
  // Starts dynalite and waits until it answers HTTP. kUnavailable when
  // the binary is missing or it does not come up.
  static Result<std::unique_ptr<DynaliteServer>> Start();
  ~DynaliteServer();  // kills it

  DynaliteServer(const DynaliteServer&) = delete;
  DynaliteServer& operator=(const DynaliteServer&) = delete;

  // "http://127.0.0.1:<port>"
  std::string endpoint() const;

 private:
  DynaliteServer() = default;
  int port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

// See the file comment. kUnavailable if dynalite cannot be started.
Result<std::string> SharedTestDynamoDbEndpoint();

// "dynamodb://unum-test?region=us-east-1&endpoint=<endpoint>&create=1".
Result<std::string> SharedTestDynamoDbUrl();

}  // namespace unum::dynamodb::testing

#endif  // UNUM_DATASTORE_DYNAMODB_DYNALITE_TEST_SERVER_H_
