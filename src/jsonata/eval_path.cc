#include "jsonata/eval_path.h"

#include <cmath>
#include <unordered_map>

#include "jsonata/error.h"
#include "jsonata/utf8.h"

namespace unum::jsonata {
namespace {

const std::string kFocusKey = "@";

// The items a step runs over: an array's items; nothing for anything else
// (jsonata loops over `input.length`).
const std::vector<Value>* ItemsOf(const Value& v) {
  return v.is_array() ? &v.array().items : nullptr;
}

Value TupleFocus(const Value& tuple) {
  const Value* v = tuple.object().Find(kFocusKey);
  return v ? *v : Value();
}

ObjectPtr CopyTuple(const Value& tuple) {
  ObjectPtr copy = NewObject();
  for (const auto& [k, v] : tuple.object().entries()) copy->Set(k, v);
  return copy;
}

void CollectDescendants(const Value& v, std::vector<Value>& out, int depth) {
  CheckNesting(depth);
  if (!v.is_array()) out.push_back(v);
  if (v.is_array()) {
    for (const Value& m : v.array().items) {
      CollectDescendants(m, out, depth + 1);
    }
  } else if (v.is_object()) {
    for (const auto& [k, m] : v.object().entries()) {
      CollectDescendants(m, out, depth + 1);
    }
  }
}

// Reduces the tuples of one group to one tuple whose bindings are the
// appended values of all of them.
Value ReduceTuples(const Value& tuples) {
  if (!tuples.is_array()) return tuples;
  const auto& items = tuples.array().items;
  ObjectPtr result = CopyTuple(items[0]);
  for (std::size_t i = 1; i < items.size(); ++i) {
    for (const auto& [k, v] : items[i].object().entries()) {
      const Value* have = result->Find(k);
      result->Set(k, Append(have ? *have : Value(), v));
    }
  }
  return Value::Of(std::move(result));
}

}  // namespace

void Flatten(const Value& v, std::vector<Value>& out, int depth) {
  CheckNesting(depth);
  if (v.is_array()) {
    for (const Value& m : v.array().items) Flatten(m, out, depth + 1);
  } else {
    out.push_back(v);
  }
}

Value Append(const Value& a, const Value& b) {
  if (a.undefined()) return b;
  if (b.undefined()) return a;
  ArrayPtr out = NewArray();
  if (a.is_array()) {
    out->items = a.array().items;
  } else {
    out->items.push_back(a);
  }
  if (b.is_array()) {
    const auto& more = b.array().items;
    out->items.insert(out->items.end(), more.begin(), more.end());
  } else {
    out->items.push_back(b);
  }
  return Value::Of(std::move(out));
}

Value LookupField(const Value& input, const std::string& key) {
  if (input.is_array()) {
    ArrayPtr seq = NewSequence();
    for (const Value& item : input.array().items) {
      Value r = LookupField(item, key);
      if (r.undefined()) continue;
      if (r.is_array()) {
        const auto& more = r.array().items;
        seq->items.insert(seq->items.end(), more.begin(), more.end());
      } else {
        seq->items.push_back(std::move(r));
      }
    }
    return Value::Of(std::move(seq));
  }
  if (input.is_object()) {
    const Value* v = input.object().Find(key);
    if (v != nullptr) return *v;
  }
  return Value();
}

Value Wildcard(const Value& input) {
  ArrayPtr results = NewSequence();
  Value target = input;
  if (input.is_array() && input.array().outer_wrapper &&
      !input.array().items.empty()) {
    target = input.array().items[0];
  }
  auto add = [&](const Value& v) {
    if (v.is_array()) {
      // jsonata appends (a plain array from then on), flattened.
      results->sequence = false;
      Flatten(v, results->items);
    } else {
      results->items.push_back(v);
    }
  };
  if (target.is_object()) {
    for (const auto& [k, v] : target.object().entries()) add(v);
  } else if (target.is_array()) {
    for (const Value& v : target.array().items) add(v);
  }
  return Value::Of(std::move(results));
}

Value Descendants(const Value& input) {
  if (input.undefined()) return Value();
  ArrayPtr results = NewSequence();
  CollectDescendants(input, results->items, 0);
  if (results->items.size() == 1) return results->items[0];
  return Value::Of(std::move(results));
}

FramePtr PathEvaluator::FrameFromTuple(const FramePtr& env,
                                       const Value& tuple) {
  FramePtr frame = ev_.NewFrame(env);
  for (const auto& [k, v] : tuple.object().entries()) frame->Bind(k, v);
  return frame;
}

Value PathEvaluator::EvalPath(const Node& path, const Value& input,
                              const FramePtr& env) {
  Value input_seq;
  if (input.is_array() && path.items[0]->type != NodeType::kVariable) {
    input_seq = input;
  } else {
    ArrayPtr seq = NewSequence();
    seq->items.push_back(input);  // even undefined, as jsonata does
    input_seq = Value::Of(std::move(seq));
  }
  bool tuple_stream = false;
  Value tuples;
  Value result;
  const std::size_t n = path.items.size();
  for (std::size_t i = 0; i < n; ++i) {
    const Node& step = *path.items[i];
    if (step.tuple) tuple_stream = true;
    if (i == 0 && step.cons_array) {
      result = ev_.Eval(step, input_seq, env);
    } else if (tuple_stream) {
      tuples = TupleStep(step, input_seq, tuples, env);
    } else {
      result = Step(step, input_seq, env, i == n - 1);
    }
    if (!tuple_stream &&
        (result.undefined() ||
         (result.is_array() && result.array().items.empty()))) {
      break;
    }
    if (step.focus.empty()) input_seq = result;
  }
  if (tuple_stream) {
    if (path.tuple) {
      result = tuples;
    } else {
      ArrayPtr seq = NewSequence();
      if (tuples.is_array()) {
        for (const Value& t : tuples.array().items) {
          seq->items.push_back(TupleFocus(t));
        }
      }
      result = Value::Of(std::move(seq));
    }
  }
  if (path.keep_singleton_array && result.is_array()) {
    if (result.array().cons && !result.array().sequence) {
      result = SequenceOf(result);
    }
    if (result.is_sequence()) result.array().keep_singleton = true;
  }
  if (path.group) result = Group(path, tuple_stream ? tuples : result, env);
  return result;
}

Value PathEvaluator::Step(const Node& step, const Value& input,
                          const FramePtr& env, bool last) {
  if (step.type == NodeType::kSort) {
    Value result = Sort(step, input, env);
    if (!step.stages.empty()) result = Stages(step.stages, result, env);
    return result;
  }
  std::vector<Value> results;
  if (const auto* items = ItemsOf(input)) {
    results.reserve(items->size());
    for (const Value& item : *items) {
      Value res = ev_.Eval(step, item, env);
      for (const Stage& stage : step.stages) {
        res = Filter(*stage.expr, res, env);
      }
      if (!res.undefined()) results.push_back(std::move(res));
    }
  }
  if (last && results.size() == 1 && results[0].is_array() &&
      !results[0].is_sequence()) {
    return results[0];
  }
  ArrayPtr seq = NewSequence();
  for (Value& res : results) {
    if (!res.is_array() || res.array().cons) {
      seq->items.push_back(std::move(res));
    } else {
      const auto& more = res.array().items;
      seq->items.insert(seq->items.end(), more.begin(), more.end());
    }
  }
  ev_.CheckSize(0, seq->items.size());
  return Value::Of(std::move(seq));
}

Value PathEvaluator::TupleStep(const Node& step, const Value& input,
                               const Value& tuples, const FramePtr& env) {
  if (step.type == NodeType::kSort) {
    Value result;
    if (!tuples.undefined()) {
      result = Sort(step, tuples, env);
    } else {
      Value sorted = Sort(step, input, env);
      ArrayPtr stream = NewSequence();
      stream->tuple_stream = true;
      if (sorted.is_array()) {
        const auto& items = sorted.array().items;
        for (std::size_t i = 0; i < items.size(); ++i) {
          ObjectPtr t = NewObject();
          t->Set(kFocusKey, items[i]);
          if (!step.index_var.empty()) {
            t->Set(step.index_var, Value::Number(static_cast<double>(i)));
          }
          stream->items.push_back(Value::Of(std::move(t)));
        }
      }
      result = Value::Of(std::move(stream));
    }
    if (!step.stages.empty()) result = Stages(step.stages, result, env);
    return result;
  }
  std::vector<Value> bindings;
  if (!tuples.undefined()) {
    if (tuples.is_array()) bindings = tuples.array().items;
  } else if (const auto* items = ItemsOf(input)) {
    for (const Value& item : *items) {
      ObjectPtr t = NewObject();
      t->Set(kFocusKey, item);
      bindings.push_back(Value::Of(std::move(t)));
    }
  }
  ArrayPtr result = NewSequence();
  result->tuple_stream = true;
  for (const Value& tuple : bindings) {
    FramePtr step_env = FrameFromTuple(env, tuple);
    Value focus = TupleFocus(tuple);
    Value res = ev_.Eval(step, focus, step_env);
    if (res.undefined()) continue;
    std::vector<Value> values;
    bool nested_tuples = false;
    if (res.is_array()) {
      values = res.array().items;
      nested_tuples = res.array().tuple_stream;
    } else {
      values.push_back(res);
    }
    for (std::size_t j = 0; j < values.size(); ++j) {
      ObjectPtr t = CopyTuple(tuple);
      if (nested_tuples) {
        for (const auto& [k, v] : values[j].object().entries()) t->Set(k, v);
      } else {
        if (!step.focus.empty()) {
          t->Set(step.focus, values[j]);
          t->Set(kFocusKey, focus);
        } else {
          t->Set(kFocusKey, values[j]);
        }
        if (!step.index_var.empty()) {
          t->Set(step.index_var, Value::Number(static_cast<double>(j)));
        }
        if (step.ancestor) t->Set(step.ancestor->label, focus);
      }
      result->items.push_back(Value::Of(std::move(t)));
    }
    ev_.CheckSize(0, result->items.size());
  }
  Value out = Value::Of(std::move(result));
  if (!step.stages.empty()) out = Stages(step.stages, out, env);
  return out;
}

Value PathEvaluator::Stages(const std::vector<Stage>& stages, Value input,
                            const FramePtr& env) {
  Value result = std::move(input);
  for (const Stage& stage : stages) {
    if (stage.kind == Stage::Kind::kFilter) {
      result = Filter(*stage.expr, result, env);
    } else if (result.is_array()) {
      auto& items = result.array().items;
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (items[i].is_object()) {
          items[i].object().Set(stage.var,
                                Value::Number(static_cast<double>(i)));
        }
      }
    }
  }
  return result;
}

Value PathEvaluator::Filter(const Node& predicate, const Value& input,
                            const FramePtr& env) {
  ArrayPtr results = NewSequence();
  bool tuples = input.is_array() && input.array().tuple_stream;
  results->tuple_stream = tuples;
  std::vector<Value> single;
  if (!input.is_array()) single.push_back(input);
  const std::vector<Value>& items =
      input.is_array() ? input.array().items : single;
  const double count = static_cast<double>(items.size());
  if (predicate.type == NodeType::kNumber) {
    double index = std::floor(predicate.literal.number());
    if (index < 0) index += count;
    if (index >= 0 && index < count) {
      const Value& item = items[static_cast<std::size_t>(index)];
      if (item.is_array()) return item;
      if (!item.undefined()) results->items.push_back(item);
    }
    return Value::Of(std::move(results));
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Value& item = items[i];
    Value res;
    if (tuples) {
      res = ev_.Eval(predicate, TupleFocus(item), FrameFromTuple(env, item));
    } else {
      res = ev_.Eval(predicate, item, env);
    }
    if (res.is_numeric() || (res.is_array() && !res.array().items.empty() &&
                             IsArrayOfNumbers(res))) {
      auto matches = [&](const Value& n) {
        double k = std::floor(n.number());
        if (k < 0) k += count;
        return k == static_cast<double>(i);
      };
      bool hit = false;
      if (res.is_numeric()) {
        hit = matches(res);
      } else {
        for (const Value& n : res.array().items) hit = hit || matches(n);
      }
      if (hit) results->items.push_back(item);
    } else if (Truthy(res)) {
      results->items.push_back(item);
    }
  }
  return Value::Of(std::move(results));
}

Value PathEvaluator::Sort(const Node& sort, const Value& input,
                          const FramePtr& env) {
  if (!input.is_array()) return input;
  bool tuples = input.array().tuple_stream;
  std::vector<Value> items = input.array().items;
  // Each item's sort keys, computed once.
  std::vector<std::vector<Value>> keys(items.size());
  std::unordered_map<const void*, std::size_t> slot_of;
  std::vector<Value> boxed;
  boxed.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    Value context = tuples ? TupleFocus(items[i]) : items[i];
    FramePtr term_env = tuples ? FrameFromTuple(env, items[i]) : env;
    for (const SortTerm& term : sort.terms) {
      keys[i].push_back(ev_.Eval(*term.expr, context, term_env));
    }
    // Sort positions, boxed as numbers, so keys follow their items.
    boxed.push_back(Value::Number(static_cast<double>(i)));
  }
  auto after = [&](const Value& a, const Value& b) {
    const auto& ka = keys[static_cast<std::size_t>(a.number())];
    const auto& kb = keys[static_cast<std::size_t>(b.number())];
    for (std::size_t t = 0; t < sort.terms.size(); ++t) {
      const Value& x = ka[t];
      const Value& y = kb[t];
      int comp = 0;
      if (x.undefined() && y.undefined()) continue;
      if (x.undefined()) return true;
      if (y.undefined()) return false;
      bool x_ok = x.is_number() || x.is_string();
      bool y_ok = y.is_number() || y.is_string();
      if (!x_ok || !y_ok) {
        throw JsonataError("T2008", sort.position).With(x_ok ? y : x);
      }
      if (x.type() != y.type()) {
        throw JsonataError("T2007", sort.position).With(x).With2(y);
      }
      if (x.is_number()) {
        comp = x.number() < y.number() ? -1 : (x.number() > y.number() ? 1 : 0);
      } else {
        comp = CompareUtf16(x.string(), y.string());
      }
      if (comp == 0) continue;
      if (sort.terms[t].descending) comp = -comp;
      return comp > 0;
    }
    return false;
  };
  MergeSort(boxed, after);
  ArrayPtr out = NewSequence();
  out->tuple_stream = tuples;
  out->items.reserve(items.size());
  for (const Value& b : boxed) {
    out->items.push_back(items[static_cast<std::size_t>(b.number())]);
  }
  return Value::Of(std::move(out));
}

Value PathEvaluator::Group(const Node& owner, const Value& input,
                           const FramePtr& env) {
  const auto& pairs = owner.group ? *owner.group : owner.pairs;
  const int position = owner.group ? owner.group_position : owner.position;
  bool reduce = input.is_array() && input.array().tuple_stream;
  std::vector<Value> items;
  if (input.is_array()) {
    items = input.array().items;
  } else {
    items.push_back(input);
  }
  if (items.empty()) items.push_back(Value());
  struct Entry {
    Value data;
    std::size_t pair = 0;
  };
  std::vector<std::string> order;
  std::unordered_map<std::string, Entry> groups;
  for (const Value& item : items) {
    FramePtr item_env = reduce ? FrameFromTuple(env, item) : env;
    Value context = reduce ? TupleFocus(item) : item;
    for (std::size_t p = 0; p < pairs.size(); ++p) {
      Value key = ev_.Eval(*pairs[p].first, context, item_env);
      if (key.undefined()) continue;
      if (!key.is_string()) {
        throw JsonataError("T1003", position).With(key);
      }
      auto it = groups.find(key.string());
      if (it == groups.end()) {
        order.push_back(key.string());
        groups.emplace(key.string(), Entry{item, p});
      } else {
        if (it->second.pair != p) {
          throw JsonataError("D1009", position).With(key);
        }
        it->second.data = Append(it->second.data, item);
      }
    }
  }
  ObjectPtr result = NewObject();
  for (const std::string& key : order) {
    const Entry& entry = groups[key];
    Value context = entry.data;
    FramePtr value_env = env;
    if (reduce) {
      Value tuple = ReduceTuples(entry.data);
      context = TupleFocus(tuple);
      ObjectPtr bindings = CopyTuple(tuple);
      bindings->Erase(kFocusKey);
      value_env = FrameFromTuple(env, Value::Of(std::move(bindings)));
    }
    Value value = ev_.Eval(*pairs[entry.pair].second, context, value_env);
    if (!value.undefined()) result->Set(key, std::move(value));
  }
  return Value::Of(std::move(result));
}

}  // namespace unum::jsonata
