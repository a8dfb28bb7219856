// Status and Result<T>: how every Unum interface reports failure.
//
// No exception crosses an interface; a function that can fail returns a
// Status (no value) or a Result<T> (a value or a Status). Expected outcomes
// are values, not errors: a lost put-if-absent race is `false`, an absent
// checkpoint is an empty optional.
//
// Codes follow absl::StatusCode and say what a caller should do:
// kUnavailable is transient (retry with backoff), everything else is not
// fixed by retrying the same call. Retry logic branches on the code, never
// on the message. Thread-safety: value types, safe to copy across threads.
#ifndef UNUM_STATUS_H_
#define UNUM_STATUS_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace unum {

enum class StatusCode {
  kOk = 0,
  kCancelled = 1,
  kUnknown = 2,
  kInvalidArgument = 3,
  kDeadlineExceeded = 4,
  kNotFound = 5,
  kAlreadyExists = 6,
  kPermissionDenied = 7,
  kResourceExhausted = 8,
  kFailedPrecondition = 9,
  kAborted = 10,
  kOutOfRange = 11,
  kUnimplemented = 12,
  kInternal = 13,
  kUnavailable = 14,
  kDataLoss = 15,
};

// Returns the canonical name of `code`, e.g. "UNAVAILABLE".
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) {
    return {StatusCode::kInvalidArgument, std::move(m)};
  }
  static Status NotFound(std::string m) {
    return {StatusCode::kNotFound, std::move(m)};
  }
  static Status AlreadyExists(std::string m) {
    return {StatusCode::kAlreadyExists, std::move(m)};
  }
  static Status FailedPrecondition(std::string m) {
    return {StatusCode::kFailedPrecondition, std::move(m)};
  }
  static Status Unavailable(std::string m) {
    return {StatusCode::kUnavailable, std::move(m)};
  }
  static Status Aborted(std::string m) {
    return {StatusCode::kAborted, std::move(m)};
  }
  static Status Internal(std::string m) {
    return {StatusCode::kInternal, std::move(m)};
  }
  static Status Unknown(std::string m) {
    return {StatusCode::kUnknown, std::move(m)};
  }
  static Status OutOfRange(std::string m) {
    return {StatusCode::kOutOfRange, std::move(m)};
  }
  static Status DeadlineExceeded(std::string m) {
    return {StatusCode::kDeadlineExceeded, std::move(m)};
  }
  static Status DataLoss(std::string m) {
    return {StatusCode::kDataLoss, std::move(m)};
  }
  static Status Unimplemented(std::string m) {
    return {StatusCode::kUnimplemented, std::move(m)};
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  bool IsNotFound() const { return code_ == StatusCode::kNotFound; }
  bool IsUnavailable() const { return code_ == StatusCode::kUnavailable; }
  bool IsInvalidArgument() const {
    return code_ == StatusCode::kInvalidArgument;
  }

  // Returns a copy whose message is "<prefix>: <message>".
  Status WithContext(std::string_view prefix) const;

  // The error name a user function failed with (a thrown unum::TaskError's
  // name, a C++ exception's type, an exec function's "errorType"): what a
  // Step Functions Retry or Catch `ErrorEquals` matches. Empty otherwise.
  // WithContext keeps it.
  const std::string& error_type() const { return error_type_; }
  Status WithErrorType(std::string type) const {
    Status s = *this;
    s.error_type_ = std::move(type);
    return s;
  }

  // "OK" or "<CODE>: <message>".
  std::string ToString() const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string error_type_;
};

// A value of type T, or a non-OK Status explaining why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : data_(std::move(status)) {  // NOLINT
    if (std::get<Status>(data_).ok()) {
      data_ = Status::Internal("Result constructed from an OK Status");
    }
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  Status status() const {
    return ok() ? Status::Ok() : std::get<Status>(data_);
  }

  // Precondition: ok().
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace unum

// Returns early from the enclosing function when `expr` is not OK.
#define UNUM_RETURN_IF_ERROR(expr)               \
  do {                                           \
    ::unum::Status unum_status_ = (expr);        \
    if (!unum_status_.ok()) return unum_status_; \
  } while (0)

#define UNUM_CONCAT_INNER_(a, b) a##b
#define UNUM_CONCAT_(a, b) UNUM_CONCAT_INNER_(a, b)

// `UNUM_ASSIGN_OR_RETURN(auto x, MakeX());` declares x from a Result or
// returns its Status.
#define UNUM_ASSIGN_OR_RETURN(lhs, expr)                  \
  auto UNUM_CONCAT_(unum_result_, __LINE__) = (expr);     \
  if (!UNUM_CONCAT_(unum_result_, __LINE__).ok())         \
    return UNUM_CONCAT_(unum_result_, __LINE__).status(); \
  lhs = std::move(UNUM_CONCAT_(unum_result_, __LINE__)).value()

#endif  // UNUM_STATUS_H_
