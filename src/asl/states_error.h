// StatesError and Outcome<T>: how States Language evaluation reports an
// error that a state machine can handle.
//
// A StatesError is an error in the States Language sense: a name that a
// Retry or Catch `ErrorEquals` list matches (States.ParameterPathFailure,
// States.IntrinsicFailure, a user function's error type...) and a cause for
// people. It is a value, not a Status: the interpreter routes it to a
// catcher or records it as the session's failure. Problems found while
// compiling a definition are Status errors instead (they stop compilation).
#ifndef UNUM_ASL_STATES_ERROR_H_
#define UNUM_ASL_STATES_ERROR_H_

#include <string>
#include <utility>
#include <variant>

namespace unum::asl {

// Names of the predefined errors (States Language spec, "Errors").
inline constexpr char kStatesAll[] = "States.ALL";
inline constexpr char kStatesTaskFailed[] = "States.TaskFailed";
inline constexpr char kStatesTimeout[] = "States.Timeout";
inline constexpr char kStatesRuntime[] = "States.Runtime";
inline constexpr char kStatesBranchFailed[] = "States.BranchFailed";
inline constexpr char kStatesNoChoiceMatched[] = "States.NoChoiceMatched";
inline constexpr char kStatesIntrinsicFailure[] = "States.IntrinsicFailure";
inline constexpr char kStatesParameterPathFailure[] =
    "States.ParameterPathFailure";
inline constexpr char kStatesResultPathMatchFailure[] =
    "States.ResultPathMatchFailure";

struct StatesError {
  std::string error;  // the name ErrorEquals matches
  std::string cause;  // human-readable detail

  friend bool operator==(const StatesError&, const StatesError&) = default;
};

// A value of type T, or the StatesError that prevented it.
template <typename T>
class [[nodiscard]] Outcome {
 public:
  Outcome(T value) : data_(std::move(value)) {}              // NOLINT
  Outcome(StatesError error) : data_(std::move(error)) {}    // NOLINT

  bool ok() const { return std::holds_alternative<T>(data_); }
  // Precondition: !ok().
  const StatesError& error() const { return std::get<StatesError>(data_); }

  // Precondition: ok().
  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, StatesError> data_;
};

}  // namespace unum::asl

#endif  // UNUM_ASL_STATES_ERROR_H_
