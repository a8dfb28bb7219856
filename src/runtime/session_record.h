// The session record: the one place a workflow run's outcome is written
// (put-if-absent, so exactly one outcome wins) and read by whoever waits
// for the run.
//
//   {"Status": "SUCCEEDED", "Result": <output>, "Function": f, "Instance": i}
//   {"Status": "FAILED", "Error": {"Function": f, "Instance": i,
//                                  "Message": m, "Attempts": n,
//                                  "Name": error, "Cause": cause}}
// (Name and Cause only for a Step Functions error.)
#ifndef UNUM_RUNTIME_SESSION_RECORD_H_
#define UNUM_RUNTIME_SESSION_RECORD_H_

#include <nlohmann/json.hpp>
#include <string>

#include "unum/status.h"

namespace unum::runtime {

struct SessionOutcome {
  bool succeeded = false;
  nlohmann::json result;  // SUCCEEDED: the terminal function's output
  std::string function;   // who wrote the outcome
  std::string instance;
  std::string message;  // FAILED: what went wrong
  int attempts = 0;     // FAILED: deliveries tried
  // FAILED by a Step Functions state machine: the error name and cause
  // (a Fail state's Error/Cause, or the uncaught error).
  std::string error;
  std::string cause;
};

std::string EncodeSessionRecord(const SessionOutcome& outcome);
Result<SessionOutcome> DecodeSessionRecord(const std::string& text);

}  // namespace unum::runtime

#endif  // UNUM_RUNTIME_SESSION_RECORD_H_
