// PayloadTemplate: a compiled Parameters / ResultSelector / ItemSelector
// value (States Language spec, "Payload Template").
//
// Fields whose name ends in `.$` take their value (with `.$` dropped from
// the name) from a path into the state's input (`$...`), a path into the
// context object (`$$...`), or an intrinsic function call (`States.X(...)`);
// every other field is copied as written. Objects and arrays nest. A
// definite path that matches nothing is States.ParameterPathFailure; an
// indefinite one yields the (possibly empty) array of its matches.
//
// Compile once (bad paths, bad intrinsic calls, a `.$` value that is not a
// string, or two fields with the same name after dropping `.$` are
// InvalidArgument naming the field), then Evaluate per execution.
// Thread-safety: immutable after Compile.
#ifndef UNUM_ASL_DATAFLOW_PAYLOAD_TEMPLATE_H_
#define UNUM_ASL_DATAFLOW_PAYLOAD_TEMPLATE_H_

#include <memory>
#include <nlohmann/json.hpp>
#include <string_view>

#include "asl/states_error.h"
#include "unum/status.h"

namespace unum::asl {

class PayloadTemplate {
 public:
  // `field` names the template in errors ("Parameters", or with a state
  // prefix "Check.Parameters"); a bad field reads "Check.Parameters.a.b.$:
  // <problem>".
  static Result<PayloadTemplate> Compile(const nlohmann::json& tmpl,
                                         std::string_view field);

  // The payload for `input`; `context` is what `$$` paths read.
  Outcome<nlohmann::json> Evaluate(const nlohmann::json& input,
                                   const nlohmann::json& context) const;

  // Whether Evaluate can read `context`: a `$$` path, or an intrinsic call
  // with a `$$` path argument (at any depth). When false, Evaluate ignores
  // `context` and a caller may pass null instead of building it.
  bool uses_context() const { return uses_context_; }

  struct Node;  // the compiled tree (payload_template.cc)

 private:
  std::shared_ptr<const Node> root_;
  bool uses_context_ = false;
};

// Evaluates a path given as text (an intrinsic argument) against `input`
// or, for `$$...`, `context`: a parse error or a definite path matching
// nothing is States.ParameterPathFailure.
Outcome<nlohmann::json> ResolvePathText(std::string_view path,
                                        const nlohmann::json& input,
                                        const nlohmann::json& context);

// Whether `text`, the value of a `.$` field or of a field such as
// TimeoutSecondsPath (a path or an intrinsic call), can read the context
// object. Text that does not compile counts as reading it (its error shows
// when it is evaluated).
bool PathTextUsesContext(std::string_view text);

}  // namespace unum::asl

#endif  // UNUM_ASL_DATAFLOW_PAYLOAD_TEMPLATE_H_
