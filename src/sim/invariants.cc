#include "sim/invariants.h"

#include <fmt/format.h>

#include <set>
#include <utility>

#include "ir/fanout.h"
#include "runtime/payload.h"
#include "runtime/session_record.h"
#include "sim/tagging.h"

namespace unum::sim {

using nlohmann::json;

namespace {

std::string Short(const json& v, size_t max = 160) {
  std::string s = v.dump();
  if (s.size() > max) s = s.substr(0, max) + "...";
  return s;
}

// "A-unumIndex-3.1" -> ("A", 3); no suffix -> ("A", -1).
std::pair<std::string, int64_t> SplitInstance(const std::string& instance) {
  static const std::string kMarker = "-unumIndex-";
  const size_t pos = instance.rfind(kMarker);
  if (pos == std::string::npos) return {instance, -1};
  const std::string rest = instance.substr(pos + kMarker.size());
  int64_t index = -1;
  try {
    index = std::stoll(rest.substr(0, rest.find('.')));
  } catch (...) {
    index = -1;
  }
  return {
      instance.substr(0, pos) + "-unumIndex-*" +
          (rest.find('.') == std::string::npos ? ""
                                               : rest.substr(rest.find('.'))),
      index};
}

}  // namespace

Result<PutOutcome> RecordingDatastore::PutCheckpoint(
    const std::string& session, const std::string& instance,
    const std::string& value, std::chrono::seconds expire_after) {
  auto put = ForwardingDatastore::PutCheckpoint(session, instance, value,
                                                expire_after);
  if (put.ok() && put->won) commits_[instance].push_back(value);
  return put;
}

Result<bool> RecordingDatastore::PutSessionRecordIfAbsent(
    const std::string& session, const std::string& value) {
  auto won = ForwardingDatastore::PutSessionRecordIfAbsent(session, value);
  if (won.ok()) session_writes_.push_back(SessionWrite{value, *won});
  return won;
}

std::optional<json> RecordingDatastore::CommittedOutput(
    const std::string& instance) const {
  auto cached = decoded_.find(instance);
  if (cached != decoded_.end()) return cached->second;
  auto it = commits_.find(instance);
  if (it == commits_.end() || it->second.empty()) return std::nullopt;
  // The runtime's checkpoint record: {"Output": <user output>, ...}.
  json doc = json::parse(it->second.front(), nullptr, false);
  json output = (doc.is_object() && doc.contains("Output"))
                    ? doc.at("Output")
                    : json("<undecodable checkpoint record>");
  decoded_.emplace(instance, output);
  return output;
}

Execution RunLog::FromDelivery(const Delivery& d) {
  Execution e;
  e.delivery = d.id;
  e.function = d.function;
  e.instance = d.instance;
  e.attempt = d.attempt;
  e.origin = d.origin;
  e.sender = d.sender;
  e.late = d.late_phase;
  if (d.decoded != nullptr) {
    // What the runtime sent, as it sent it (in process).
    e.fan_in = d.decoded->fan_in;
    if (e.fan_in) e.sources = d.decoded->sources;
    if (!d.decoded->fanout.empty()) {
      e.map_child = d.decoded->fanout[0].type == "Map";
      e.index = d.decoded->fanout[0].index;
    }
    return e;
  }
  static const json kNull;
  const json& p = d.payload ? *d.payload : kNull;
  if (p.is_object() && p.contains("Data") && p.at("Data").is_object()) {
    const json& data = p.at("Data");
    const std::string source = data.value("Source", "http");
    if (source != "http") {
      e.fan_in = true;
      if (data.contains("Value") && data.at("Value").is_array()) {
        for (const json& s : data.at("Value")) {
          if (s.is_string()) e.sources.push_back(s.get<std::string>());
        }
      }
    }
  }
  if (p.is_object() && p.contains("Fan-out")) {
    auto stack = ir::FanOutFromJson(p.at("Fan-out"));
    if (stack.ok() && !stack->empty()) {
      e.map_child = (*stack)[0].type == "Map";
      e.index = (*stack)[0].index;
    }
  }
  return e;
}

std::vector<std::string> CheckOnlyTombstones(Datastore* store,
                                             const std::string& session,
                                             const std::string& when,
                                             bool expiring_ok) {
  std::vector<std::string> v;
  auto keys = store->ListKeys(session);
  if (!keys.ok()) {
    v.push_back("ListKeys failed " + when + ": " + keys.status().ToString());
    return v;
  }
  for (const KeyInfo& k : *keys) {
    if (k.kind == KeyInfo::Kind::kSessionRecord || k.tombstone) continue;
    if (expiring_ok && k.expires) continue;
    v.push_back(fmt::format(
        "leak {}: live {} \"{}\" (only the session record "
        "and tombstones may remain)",
        when, k.kind == KeyInfo::Kind::kCheckpoint ? "checkpoint" : "set",
        k.name));
  }
  return v;
}

std::vector<std::string> CheckRun(const CheckInput& in) {
  std::vector<std::string> v;
  const RecordingDatastore& rec = *in.recorded;

  // 1. Liveness and crash semantics.
  for (const Exhausted& x : in.platform->exhausted()) {
    v.push_back(fmt::format(
        "lost invocation: {} ({}, attempt {}) failed its last attempt: {}",
        x.delivery.instance, OriginName(x.delivery.origin), x.delivery.attempt,
        x.status.ToString()));
  }
  const int64_t after_crash =
      in.platform->counts().calls_after_crash + in.store_calls_after_crash;
  if (after_crash > 0) {
    v.push_back(fmt::format(
        "a crashed delivery kept running: {} datastore/platform calls after "
        "its simulated crash (an error was swallowed)",
        after_crash));
  }

  // 2. The session record.
  auto record = in.store->GetSessionRecord(in.session);
  std::optional<runtime::SessionOutcome> outcome;
  if (!record.ok()) {
    v.push_back("cannot read the session record: " +
                record.status().ToString());
  } else if (!record->present()) {
    v.push_back("no session record: the workflow never finished");
  } else {
    auto decoded = runtime::DecodeSessionRecord(record->value);
    if (!decoded.ok()) {
      v.push_back("session record undecodable: " + decoded.status().ToString());
    } else if (!decoded->succeeded) {
      v.push_back(fmt::format("session FAILED in {}: {}", decoded->instance,
                              decoded->message));
    } else {
      outcome = std::move(decoded).value();
    }
    if (in.record_before_late && *in.record_before_late != record->value) {
      v.push_back("a late duplicate changed the session record: before " +
                  in.record_before_late->substr(0, 160) + " after " +
                  record->value.substr(0, 160));
    }
  }
  if (outcome) {
    const std::string& t = outcome->instance;
    auto committed = rec.CommittedOutput(t);
    if (committed && in.state_machine) {
      const json end = committed->is_object() && committed->contains("Then") &&
                               (*committed)["Then"].contains("End")
                           ? (*committed)["Then"]["End"]
                           : json();
      if (end != outcome->result) {
        v.push_back(fmt::format(
            "session result is not the End of terminal {}'s committed "
            "envelope: result {} committed {}",
            t, Short(outcome->result), Short(*committed)));
      }
    } else if (committed) {
      if (*committed != outcome->result) {
        v.push_back(fmt::format(
            "session result is not the committed output of terminal {}: "
            "result {} committed {}",
            t, Short(outcome->result), Short(*committed)));
      }
    } else {
      bool found = false;
      for (const Execution& e : in.log->executions()) {
        if (e.instance == t && e.ok && e.output == outcome->result) {
          found = true;
        }
      }
      if (!found) {
        v.push_back(
            fmt::format("session result {} is no output of terminal {} at all",
                        Short(outcome->result), t));
      }
    }
    if (in.expected) {
      json got = Untag(outcome->result);
      if (got != *in.expected) {
        v.push_back(fmt::format("wrong answer: result {} expected {}",
                                Short(got), Short(*in.expected)));
      }
    }
  }
  std::set<std::string> results;
  for (const auto& w : rec.session_writes()) {
    auto o = runtime::DecodeSessionRecord(w.value);
    results.insert(o.ok() && o->succeeded ? o->result.dump()
                                          : "FAILED:" + w.value);
  }
  if (results.size() > 1) {
    std::string list;
    for (const std::string& r : results) {
      list += (list.empty() ? "" : " | ") + r.substr(0, 100);
    }
    v.push_back(fmt::format(
        "two different results: {} distinct session results were written "
        "({}); exactly one must exist",
        results.size(), list));
  }

  // 3. One committed output per instance.
  for (const auto& [instance, values] : rec.commits()) {
    if (values.size() > 1) {
      v.push_back(fmt::format("instance {} committed {} outputs", instance,
                              values.size()));
    }
  }

  // 4 and 5. Every consumer saw what the committed outputs imply.
  std::map<std::string, std::set<std::string>> observed;  // uncommitted
  for (const Execution& e : in.log->executions()) {
    const std::string who =
        fmt::format("{} (delivery d{} {}, attempt {})", e.instance, e.delivery,
                    OriginName(e.origin), e.attempt);
    if (e.fan_in) {
      if (!e.input.is_array() || e.input.size() != e.sources.size()) {
        v.push_back(fmt::format("{} got fan-in input {} for sources {}", who,
                                Short(e.input), json(e.sources).dump()));
        continue;
      }
      for (size_t j = 0; j < e.sources.size(); ++j) {
        const std::string& src = e.sources[j];
        auto committed = rec.CommittedOutput(src);
        if (!committed) {
          v.push_back(
              fmt::format("{}: fan-in source {} has no committed "
                          "output",
                          who, src));
        } else if (*committed != e.input[j]) {
          v.push_back(fmt::format(
              "{}: fan-in input[{}] is not the committed output of {} (saw "
              "nonce {}, committed {})",
              who, j, src, NonceOf(e.input[j]), NonceOf(*committed)));
        }
        if (j > 0) {
          auto [prev_family, prev_index] = SplitInstance(e.sources[j - 1]);
          auto [family, index] = SplitInstance(src);
          if (family == prev_family && index <= prev_index) {
            v.push_back(
                fmt::format("{}: fan-in sources out of index order: "
                            "{}",
                            who, json(e.sources).dump()));
          }
        }
      }
      continue;
    }
    if (e.sender.empty()) {
      if (e.input != in.workflow_input) {
        v.push_back(
            fmt::format("{}: start input {} is not the workflow "
                        "input",
                        who, Short(e.input)));
      }
      continue;
    }
    if (in.state_machine) continue;
    auto committed = rec.CommittedOutput(e.sender);
    if (committed) {
      bool ok = e.input == *committed;
      if (!ok && e.map_child && committed->is_array() && e.index >= 0 &&
          e.index < static_cast<int64_t>(committed->size())) {
        ok = e.input == (*committed)[static_cast<size_t>(e.index)];
      }
      if (!ok) {
        v.push_back(fmt::format(
            "{}: input is not the committed output of its producer {} (saw "
            "nonce {} from {}, committed nonce {})",
            who, e.sender, NonceOf(e.input), ProducerOf(e.input),
            NonceOf(*committed)));
      }
    } else {
      observed[e.sender].insert(NonceOf(e.input));
    }
  }
  for (const auto& [producer, nonces] : observed) {
    if (nonces.size() > 1) {
      std::string list;
      for (const std::string& n : nonces) list += (list.empty() ? "" : ",") + n;
      v.push_back(fmt::format(
          "fork: {} different outputs of {} (no committed output) reached "
          "its consumers (nonces {})",
          nonces.size(), producer, list));
    }
  }

  // 6. Nothing but the record and tombstones is left.
  for (std::string& s :
       CheckOnlyTombstones(in.store, in.session, "at the end of the run",
                           in.expiring_checkpoints)) {
    v.push_back(std::move(s));
  }

  // 7. Late duplicates committed nothing. (They may run the user code
  // again: the runtime does not read before it, docs/protocol.md; what
  // they must not do is commit a second output, which a tombstone or an
  // expiring checkpoint prevents while it lives.)
  for (const auto& [instance, values] : rec.commits()) {
    if (!in.commits_before_late) break;
    auto before = in.commits_before_late->find(instance);
    const size_t had =
        before == in.commits_before_late->end() ? 0 : before->second;
    if (values.size() > had) {
      v.push_back(fmt::format(
          "late duplicate committed a new output of {} after the session "
          "finished and was collected",
          instance));
    }
  }
  return v;
}

}  // namespace unum::sim
