#include "jsonata/functions/regex_match.h"

#include "jsonata/error.h"
#include "jsonata/function.h"
#include "jsonata/utf8.h"

namespace unum::jsonata {

Value RegexMatchObject(const std::shared_ptr<const Regex>& re,
                       const std::shared_ptr<const std::string>& subject,
                       std::size_t from) {
  const std::string& s = *subject;
  std::optional<Regex::Match> m = re->Find(s, from);
  if (!m) return Value();
  ObjectPtr out = NewObject();
  out->Set("match", Value::String(s.substr(m->start, m->end - m->start)));
  out->Set("start",
           Value::Number(static_cast<double>(Utf16Offset(s, m->start))));
  out->Set("end", Value::Number(static_cast<double>(Utf16Offset(s, m->end))));
  ArrayPtr groups = NewArray();
  for (const auto& g : m->groups) {
    groups->items.push_back(
        g ? Value::String(s.substr(g->first, g->second - g->first)) : Value());
  }
  out->Set("groups", Value::Of(std::move(groups)));
  auto next = std::make_shared<MatchNext>();
  next->regex = re;
  next->subject = subject;
  // JavaScript's lastIndex: an empty match does not advance it, so the next
  // search (when there is one) finds an empty match again.
  next->from = m->end;
  out->Set("next", Value::Of(FunctionPtr(std::move(next))));
  return Value::Of(std::move(out));
}

}  // namespace unum::jsonata
