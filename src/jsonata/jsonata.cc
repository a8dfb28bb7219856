// The public API: Expression::Parse and Expression::Evaluate.
#include "unum/jsonata.h"

#include <new>

#include "jsonata/error.h"
#include "jsonata/evaluator.h"
#include "jsonata/json_convert.h"
#include "jsonata/parser.h"
#include "jsonata/utf8.h"

namespace unum::jsonata {

struct Expression::Impl {
  std::string text;
  NodePtr root;
};

Status Error::ToStatus() const {
  std::string text = code;
  if (position >= 0) text += " at position " + std::to_string(position);
  text += ": " + message;
  if (code == "U1001" || code == "U1003") {
    return Status(StatusCode::kResourceExhausted, text);
  }
  if (code == "U1002") return Status::DeadlineExceeded(text);
  return Status::InvalidArgument(text);
}

Expression::Expression(std::shared_ptr<const Impl> impl)
    : impl_(std::move(impl)) {}

const std::string& Expression::text() const { return impl_->text; }

Result<Expression> Expression::Parse(std::string_view text, Error* error) {
  auto impl = std::make_shared<Impl>();
  // As a JavaScript host decodes text: bytes that are not UTF-8 become
  // U+FFFD, so that results are always valid JSON strings.
  impl->text = ValidUtf8(text);
  Error e;
  try {
    impl->root = ParseExpression(impl->text);
    return Expression(std::move(impl));
  } catch (const JsonataError& err) {
    e = err.ToError(impl->text);
  } catch (const std::bad_alloc&) {
    e = {"U1003", -1, "Out of memory while parsing"};
  }
  if (error != nullptr) *error = e;
  return e.ToStatus();
}

namespace {

template <typename Json>
Result<std::optional<Json>> Run(const Expression::Impl& impl,
                                const std::optional<Json>& input,
                                const Bindings& bindings, const Limits& limits,
                                Error* error) {
  Error e;
  try {
    Evaluator ev(limits, bindings);
    std::vector<std::pair<std::string, Value>> vars;
    for (const auto& [name, value] : bindings.values) {
      vars.emplace_back(name, FromJson(value));
    }
    Value in = input ? FromJson(*input) : Value();
    Value out = ev.EvaluateRoot(*impl.root, in, vars);
    return ToJson<Json>(out);
  } catch (const JsonataError& err) {
    e = err.ToError(impl.text);
  } catch (const std::bad_alloc&) {
    e = {"U1003", -1, "Out of memory while evaluating"};
  }
  if (error != nullptr) *error = e;
  return e.ToStatus();
}

}  // namespace

Result<std::optional<nlohmann::json>> Expression::Evaluate(
    const std::optional<nlohmann::json>& input, const Bindings& bindings,
    const Limits& limits, Error* error) const {
  return Run(*impl_, input, bindings, limits, error);
}

Result<std::optional<nlohmann::ordered_json>> Expression::EvaluateOrdered(
    const std::optional<nlohmann::ordered_json>& input,
    const Bindings& bindings, const Limits& limits, Error* error) const {
  return Run(*impl_, input, bindings, limits, error);
}

}  // namespace unum::jsonata
