// The datastore contract suite's tests (see datastore_contract_test.h).
#include "datastore/datastore_contract_test.h"

namespace unum {

std::string DatastoreFactoryName(
    const ::testing::TestParamInfo<DatastoreFactory>& info) {
  return info.param.name;
}

void PrintTo(const DatastoreFactory& factory, std::ostream* os) {
  *os << factory.name;
}

TEST_P(DatastoreContractTest, GetOfNeverWrittenCheckpointIsAbsent) {
  const std::string s = this->Session("absent");
  Lookup lookup = this->Get(s, "F");
  EXPECT_TRUE(lookup.absent());
  EXPECT_EQ(lookup.value, "");
}

TEST_P(DatastoreContractTest, PutIfAbsentWinsThenLosesValueUnchanged) {
  const std::string s = this->Session("put");
  EXPECT_TRUE(this->Put(s, "F", "first"));
  EXPECT_FALSE(this->Put(s, "F", "second"));
  EXPECT_FALSE(this->Put(s, "F", "first"));
  Lookup lookup = this->Get(s, "F");
  ASSERT_TRUE(lookup.present());
  EXPECT_EQ(lookup.value, "first");
}

TEST_P(DatastoreContractTest, ConcurrentPutIfAbsentHasExactlyOneWinner) {
  constexpr int kThreads = 16;
  constexpr int kRounds = 10;
  const std::string s = this->Session("race");
  for (int round = 0; round < kRounds; ++round) {
    const std::string instance = "F-unumIndex-" + std::to_string(round);
    std::latch start(kThreads);
    std::vector<int> won(kThreads, 0);
    std::vector<int> errors(kThreads, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        start.arrive_and_wait();
        Result<bool> r = this->store().PutCheckpointIfAbsent(
            s, instance, "value-of-" + std::to_string(t));
        if (!r.ok()) {
          errors[t] = 1;
        } else {
          won[t] = *r ? 1 : 0;
        }
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(std::count(errors.begin(), errors.end(), 1), 0);
    ASSERT_EQ(std::count(won.begin(), won.end(), 1), 1) << "round " << round;
    const int winner =
        static_cast<int>(std::find(won.begin(), won.end(), 1) - won.begin());
    Lookup lookup = this->Get(s, instance);
    ASSERT_TRUE(lookup.present());
    EXPECT_EQ(lookup.value, "value-of-" + std::to_string(winner));
  }
}

TEST_P(DatastoreContractTest, LostPutReturnsWhatItLostTo) {
  const std::string s = this->Session("putget");
  const std::chrono::seconds never(0);
  Result<PutOutcome> first =
      this->store().PutCheckpoint(s, "F", "first", never);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->won);
  Result<PutOutcome> second =
      this->store().PutCheckpoint(s, "F", "second", never);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_FALSE(second->won);
  ASSERT_TRUE(second->existing.present());
  EXPECT_EQ(second->existing.value, "first");
  // A long value comes back whole.
  const std::string big(1200 * 1000, 'x');
  ASSERT_TRUE(this->Put(s, "Big", big));
  Result<PutOutcome> lost = this->store().PutCheckpoint(s, "Big", "y", never);
  ASSERT_TRUE(lost.ok()) << lost.status().ToString();
  EXPECT_FALSE(lost->won);
  EXPECT_EQ(lost->existing.value, big);
  // Against a tombstone: lost, and told it is one.
  ASSERT_TRUE(
      this->store().DeleteCheckpoint(s, "F", std::chrono::hours(1)).ok());
  Result<PutOutcome> late = this->store().PutCheckpoint(s, "F", "late", never);
  ASSERT_TRUE(late.ok()) << late.status().ToString();
  EXPECT_FALSE(late->won);
  EXPECT_TRUE(late->existing.tombstone());
}

TEST_P(DatastoreContractTest, ConcurrentLosersAllSeeTheWinnersValue) {
  constexpr int kThreads = 12;
  const std::string s = this->Session("putrace");
  std::latch start(kThreads);
  std::vector<Result<PutOutcome>> results(kThreads,
                                          Status::Internal("not run"));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      results[t] = this->store().PutCheckpoint(
          s, "F", "value-of-" + std::to_string(t), std::chrono::seconds(0));
    });
  }
  for (auto& th : threads) th.join();
  int winners = 0;
  std::string winner;
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_TRUE(results[t].ok()) << results[t].status().ToString();
    if (results[t]->won) {
      ++winners;
      winner = "value-of-" + std::to_string(t);
    }
  }
  ASSERT_EQ(winners, 1);
  for (int t = 0; t < kThreads; ++t) {
    if (results[t]->won) continue;
    ASSERT_TRUE(results[t]->existing.present()) << t;
    EXPECT_EQ(results[t]->existing.value, winner) << t;
  }
}

TEST_P(DatastoreContractTest, ExpiringCheckpointIsListedAsExpiring) {
  const std::string s = this->Session("expiring");
  Result<PutOutcome> put =
      this->store().PutCheckpoint(s, "E", "out", std::chrono::hours(7));
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_TRUE(put->won);
  ASSERT_TRUE(this->Put(s, "K", "kept"));
  Lookup lookup = this->Get(s, "E");
  ASSERT_TRUE(lookup.present());
  EXPECT_EQ(lookup.value, "out");
  // It is still a checkpoint: a second write loses to it.
  Result<PutOutcome> again =
      this->store().PutCheckpoint(s, "E", "other", std::chrono::hours(7));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->won);
  EXPECT_EQ(again->existing.value, "out");
  auto keys = this->store().ListKeys(s);
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].name, "E");
  EXPECT_TRUE((*keys)[0].expires);
  EXPECT_FALSE((*keys)[0].tombstone);
  EXPECT_EQ((*keys)[1].name, "K");
  EXPECT_FALSE((*keys)[1].expires);
  // Deleting it leaves an ordinary tombstone.
  ASSERT_TRUE(
      this->store().DeleteCheckpoint(s, "E", std::chrono::hours(1)).ok());
  keys = this->store().ListKeys(s);
  ASSERT_TRUE(keys.ok());
  EXPECT_TRUE((*keys)[0].tombstone);
  EXPECT_FALSE((*keys)[0].expires);
}

TEST_P(DatastoreContractTest, DeleteCheckpointsTombstonesEachOne) {
  const std::string s = this->Session("delmany");
  ASSERT_TRUE(this->Put(s, "A", "a"));
  ASSERT_TRUE(this->Put(s, "B", std::string(1200 * 1000, 'b')));
  ASSERT_TRUE(this->Put(s, "Kept", "k"));
  ASSERT_TRUE(
      this->store().DeleteCheckpoints(s, {}, std::chrono::hours(1)).ok());
  ASSERT_TRUE(
      this->store()
          .DeleteCheckpoints(s, {"A", "B", "Never"}, std::chrono::hours(1))
          .ok());
  EXPECT_TRUE(this->Get(s, "A").tombstone());
  EXPECT_TRUE(this->Get(s, "B").tombstone());
  EXPECT_TRUE(this->Get(s, "Never").tombstone());
  EXPECT_EQ(this->Get(s, "Kept").value, "k");
  EXPECT_FALSE(this->Put(s, "A", "late"));
  auto keys = this->store().ListKeys(s);
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  int tombstones = 0;
  for (const KeyInfo& k : *keys) tombstones += k.tombstone ? 1 : 0;
  EXPECT_EQ(tombstones, 3);
  EXPECT_EQ(keys->size(), 4u);  // no leftover chunks of B listed
}

TEST_P(DatastoreContractTest, AddToSetReturnsDistinctSize) {
  const std::string s = this->Session("set");
  SetAddResult r = this->Add(s, "Agg-ready", "A-unumIndex-0");
  EXPECT_EQ(r.size, 1);
  EXPECT_FALSE(r.closed);
  EXPECT_EQ(this->Add(s, "Agg-ready", "A-unumIndex-1").size, 2);
  r = this->Add(s, "Agg-ready", "A-unumIndex-1");  // duplicate member
  EXPECT_EQ(r.size, 2);
  EXPECT_FALSE(r.closed);
  EXPECT_EQ(this->Add(s, "Agg-ready", "A-unumIndex-2").size, 3);
  // A different set starts from zero.
  EXPECT_EQ(this->Add(s, "Other", "A-unumIndex-0").size, 1);
}

TEST_P(DatastoreContractTest, ConcurrentAddsReturnEverySizeOnce) {
  constexpr int kThreads = 16;
  constexpr int kPerThread = 100;
  const std::string s = this->Session("set-race");
  std::latch start(kThreads);
  std::vector<std::vector<int64_t>> sizes(kThreads);
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < kPerThread; ++i) {
        Result<SetAddResult> r = this->store().AddToSet(
            s, "ready", "m-" + std::to_string(t) + "-" + std::to_string(i));
        if (!r.ok() || r->closed) {
          errors.fetch_add(1);
        } else {
          sizes[t].push_back(r->size);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  std::vector<int64_t> all;
  for (const auto& v : sizes) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  std::vector<int64_t> expected(kThreads * kPerThread);
  for (size_t i = 0; i < expected.size(); ++i) {
    expected[i] = static_cast<int64_t>(i) + 1;
  }
  EXPECT_EQ(all, expected);
  // Re-adding an existing member reports the final size.
  EXPECT_EQ(this->Add(s, "ready", "m-0-0").size, kThreads * kPerThread);
}

TEST_P(DatastoreContractTest, GetCheckpointsKeepsRequestOrder) {
  const std::string s = this->Session("multi");
  ASSERT_TRUE(this->Put(s, "A", "a"));
  ASSERT_TRUE(this->Put(s, "C", "c"));
  ASSERT_TRUE(this->Put(s, "D", "d"));
  this->Delete(s, "D");

  Result<std::vector<Lookup>> r =
      this->store().GetCheckpoints(s, {"C", "B", "A", "D", "C", "E"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 6u);
  const std::vector<Lookup>& v = *r;
  EXPECT_TRUE(v[0].present());
  EXPECT_EQ(v[0].value, "c");
  EXPECT_TRUE(v[1].absent());
  EXPECT_TRUE(v[2].present());
  EXPECT_EQ(v[2].value, "a");
  EXPECT_TRUE(v[3].tombstone());
  EXPECT_TRUE(v[4].present());
  EXPECT_EQ(v[4].value, "c");
  EXPECT_TRUE(v[5].absent());

  Result<std::vector<Lookup>> empty = this->store().GetCheckpoints(s, {});
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_TRUE(empty->empty());

  Result<std::vector<Lookup>> unknown =
      this->store().GetCheckpoints(this->Session("nobody"), {"A", "B"});
  ASSERT_TRUE(unknown.ok()) << unknown.status().ToString();
  ASSERT_EQ(unknown->size(), 2u);
  EXPECT_TRUE((*unknown)[0].absent());
  EXPECT_TRUE((*unknown)[1].absent());
}

TEST_P(DatastoreContractTest, DeleteLeavesTombstoneThatBlocksPuts) {
  const std::string s = this->Session("delete");
  ASSERT_TRUE(this->Put(s, "F", "out"));
  this->Delete(s, "F");
  Lookup lookup = this->Get(s, "F");
  EXPECT_TRUE(lookup.tombstone());
  EXPECT_FALSE(lookup.present());
  // A very late duplicate must not re-run the finished step.
  EXPECT_FALSE(this->Put(s, "F", "late duplicate"));
  EXPECT_TRUE(this->Get(s, "F").tombstone());
  // Idempotent.
  this->Delete(s, "F");
  EXPECT_TRUE(this->Get(s, "F").tombstone());
}

TEST_P(DatastoreContractTest, DeleteOfAbsentCheckpointLeavesTombstone) {
  const std::string s = this->Session("delete-absent");
  this->Delete(s, "Never");
  EXPECT_TRUE(this->Get(s, "Never").tombstone());
  EXPECT_FALSE(this->Put(s, "Never", "x"));
  EXPECT_TRUE(this->Get(s, "Never").tombstone());
}

TEST_P(DatastoreContractTest, DeleteSetClosesIt) {
  const std::string s = this->Session("delete-set");
  EXPECT_EQ(this->Add(s, "gc", "a").size, 1);
  EXPECT_EQ(this->Add(s, "gc", "b").size, 2);
  this->DeleteSet(s, "gc");
  SetAddResult r = this->Add(s, "gc", "c");
  EXPECT_TRUE(r.closed);
  EXPECT_EQ(r.size, 0);
  r = this->Add(s, "gc", "a");  // an old member does not reopen it either
  EXPECT_TRUE(r.closed);
  EXPECT_EQ(r.size, 0);
  this->DeleteSet(s, "gc");  // idempotent
  EXPECT_TRUE(this->Add(s, "gc", "d").closed);
  // Still one tombstoned set, not recreated by the adds.
  EXPECT_THAT(this->Keys(s), ::testing::ElementsAre(contract_internal::KeyTuple(
                                 KeyInfo::Kind::kSet, "gc", true)));

  // Deleting a set that never existed closes it as well.
  this->DeleteSet(s, "never");
  r = this->Add(s, "never", "x");
  EXPECT_TRUE(r.closed);
  EXPECT_EQ(r.size, 0);
}

TEST_P(DatastoreContractTest, SessionRecordPutIfAbsentAndGet) {
  const std::string s = this->Session("record");
  Result<Lookup> before = this->store().GetSessionRecord(s);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_TRUE(before->absent());

  Result<bool> won = this->store().PutSessionRecordIfAbsent(s, R"({"ok":1})");
  ASSERT_TRUE(won.ok()) << won.status().ToString();
  EXPECT_TRUE(*won);
  Result<bool> lost = this->store().PutSessionRecordIfAbsent(s, R"({"ok":2})");
  ASSERT_TRUE(lost.ok()) << lost.status().ToString();
  EXPECT_FALSE(*lost);

  Result<Lookup> after = this->store().GetSessionRecord(s);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  ASSERT_TRUE(after->present());
  EXPECT_EQ(after->value, R"({"ok":1})");
}

TEST_P(DatastoreContractTest, SessionsAreIsolated) {
  const std::string s1 = this->Session("one");
  const std::string s2 = this->Session("two");
  EXPECT_TRUE(this->Put(s1, "F", "from one"));
  EXPECT_TRUE(this->Get(s2, "F").absent());
  EXPECT_TRUE(this->Put(s2, "F", "from two"));
  EXPECT_EQ(this->Get(s1, "F").value, "from one");
  EXPECT_EQ(this->Get(s2, "F").value, "from two");

  EXPECT_EQ(this->Add(s1, "set", "m").size, 1);
  EXPECT_EQ(this->Add(s2, "set", "n").size, 1);
  this->DeleteSet(s1, "set");
  EXPECT_FALSE(this->Add(s2, "set", "o").closed);

  this->Delete(s1, "F");
  EXPECT_TRUE(this->Get(s1, "F").tombstone());
  EXPECT_TRUE(this->Get(s2, "F").present());

  ASSERT_TRUE(this->store().PutSessionRecordIfAbsent(s1, "r1").ok());
  Result<Lookup> r2 = this->store().GetSessionRecord(s2);
  ASSERT_TRUE(r2.ok());
  EXPECT_TRUE(r2->absent());
}

// Checkpoints, sets and the session record are separate namespaces: a
// fan-in set may be named after the aggregator's instance.
TEST_P(DatastoreContractTest, CheckpointSetAndRecordDoNotCollide) {
  const std::string s = this->Session("kinds");
  EXPECT_TRUE(this->Put(s, "Agg", "checkpoint"));
  EXPECT_EQ(this->Add(s, "Agg", "A-unumIndex-0").size, 1);
  EXPECT_EQ(this->Get(s, "Agg").value, "checkpoint");
  this->DeleteSet(s, "Agg");
  EXPECT_TRUE(this->Get(s, "Agg").present());
  this->Delete(s, "Other");
  EXPECT_FALSE(this->Add(s, "Other", "m").closed);

  // The session record is not a checkpoint with an empty name.
  EXPECT_TRUE(this->Get(s, "").absent());
  ASSERT_TRUE(this->store().PutSessionRecordIfAbsent(s, "record").ok());
  EXPECT_TRUE(this->Get(s, "").absent());
  EXPECT_TRUE(this->Put(s, "", "empty-named checkpoint"));
  Result<Lookup> record = this->store().GetSessionRecord(s);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->value, "record");
}

// A backend that joins session and name with a separator must escape it.
TEST_P(DatastoreContractTest, SeparatorsInNamesDoNotCollide) {
  const std::string base = this->Session("sep");
  const std::vector<std::string> separators = {
      ":", "/", "#", "|", "{", "}", ".", std::string(1, '\0')};
  for (const std::string& sep : separators) {
    SCOPED_TRACE("separator byte " +
                 std::to_string(static_cast<unsigned char>(sep[0])));
    const std::string s1 = base + sep + "a";
    const std::string s2 = base;
    const std::string n1 = "b";
    const std::string n2 = "a" + sep + "b";
    EXPECT_TRUE(this->Put(s1, n1, "one"));
    EXPECT_TRUE(this->Put(s2, n2, "two"));
    EXPECT_EQ(this->Get(s1, n1).value, "one");
    EXPECT_EQ(this->Get(s2, n2).value, "two");
    EXPECT_EQ(this->Add(s1, n1, "x").size, 1);
    EXPECT_EQ(this->Add(s2, n2, "y").size, 1);
  }
}

TEST_P(DatastoreContractTest, LargeValuesRoundTrip) {
  const std::string s = this->Session("large");
  for (size_t size : {size_t{0}, size_t{1}, size_t{1000}, size_t{64 << 10},
                      size_t{1} << 20}) {
    const std::string instance = "F-" + std::to_string(size);
    const std::string value = contract_internal::AllBytes(size);
    EXPECT_TRUE(this->Put(s, instance, value));
    Lookup lookup = this->Get(s, instance);
    ASSERT_TRUE(lookup.present()) << size;
    EXPECT_EQ(lookup.value.size(), size);
    EXPECT_TRUE(lookup.value == value) << "value of size " << size;
  }
  const std::string big = contract_internal::AllBytes(size_t{1} << 20);
  ASSERT_TRUE(this->store().PutSessionRecordIfAbsent(s, big).ok());
  Result<Lookup> record = this->store().GetSessionRecord(s);
  ASSERT_TRUE(record.ok());
  EXPECT_TRUE(record->value == big);
}

TEST_P(DatastoreContractTest, KeysAndValuesAreBinarySafe) {
  using namespace std::string_literals;
  const std::string s = this->Session("bin") + "\0\xff\xfe"s;
  const std::string nul_name = "a\0b"s;
  const std::string prefix_name = "a"s;  // must not equal "a\0b"
  const std::string non_utf8 = "\xc3\x28\xff\x80"s;
  const std::string value = "\0v\0\xff\x01"s;

  EXPECT_TRUE(this->Put(s, nul_name, value));
  EXPECT_TRUE(this->Get(s, prefix_name).absent());
  EXPECT_TRUE(this->Put(s, prefix_name, "plain"));
  EXPECT_TRUE(this->Put(s, non_utf8, non_utf8));

  Lookup lookup = this->Get(s, nul_name);
  ASSERT_TRUE(lookup.present());
  EXPECT_EQ(lookup.value, value);
  EXPECT_EQ(this->Get(s, prefix_name).value, "plain");
  EXPECT_EQ(this->Get(s, non_utf8).value, non_utf8);
  // The session id with its NUL is not truncated.
  EXPECT_TRUE(this->Get(this->Session("bin"), nul_name).absent());

  EXPECT_EQ(this->Add(s, nul_name, "m\0"s).size, 1);
  EXPECT_EQ(this->Add(s, nul_name, "m"s).size, 2);
  EXPECT_EQ(this->Add(s, nul_name, non_utf8).size, 3);
  EXPECT_EQ(this->Add(s, nul_name, "m\0"s).size, 3);

  ASSERT_TRUE(this->store().PutSessionRecordIfAbsent(s, value).ok());
  Result<Lookup> record = this->store().GetSessionRecord(s);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->value, value);

  EXPECT_THAT(
      this->Keys(s),
      ::testing::UnorderedElementsAre(
          contract_internal::KeyTuple(KeyInfo::Kind::kCheckpoint, nul_name,
                                      false),
          contract_internal::KeyTuple(KeyInfo::Kind::kCheckpoint, prefix_name,
                                      false),
          contract_internal::KeyTuple(KeyInfo::Kind::kCheckpoint, non_utf8,
                                      false),
          contract_internal::KeyTuple(KeyInfo::Kind::kSet, nul_name, false),
          contract_internal::KeyTuple(KeyInfo::Kind::kSessionRecord, "",
                                      false)));
}

TEST_P(DatastoreContractTest, ListKeysAfterTypicalSequence) {
  using contract_internal::KeyTuple;
  const std::string s = this->Session("list");
  EXPECT_TRUE(this->Keys(s).empty());

  // A fan-out of two branches into an aggregator, then GC of the parent.
  EXPECT_TRUE(this->Put(s, "Start", "{}"));
  EXPECT_TRUE(this->Put(s, "B-unumIndex-0", "0"));
  EXPECT_TRUE(this->Put(s, "B-unumIndex-1", "1"));
  EXPECT_EQ(this->Add(s, "Agg-fanin", "B-unumIndex-0").size, 1);
  EXPECT_EQ(this->Add(s, "Agg-fanin", "B-unumIndex-1").size, 2);
  EXPECT_EQ(this->Add(s, "Start-gc", "B-unumIndex-0").size, 1);
  EXPECT_EQ(this->Add(s, "Start-gc", "B-unumIndex-1").size, 2);
  this->Delete(s, "Start");
  this->DeleteSet(s, "Start-gc");
  this->Delete(s, "Ghost");  // never written
  EXPECT_TRUE(this->Put(s, "Agg", "result"));
  ASSERT_TRUE(this->store().PutSessionRecordIfAbsent(s, "done").ok());
  // Reads do not create keys.
  this->Get(s, "Nobody");
  ASSERT_TRUE(this->store().GetCheckpoints(s, {"Nobody2"}).ok());

  EXPECT_EQ(this->Keys(s),
            (std::vector<KeyTuple>{
                {KeyInfo::Kind::kCheckpoint, "Agg", false},
                {KeyInfo::Kind::kCheckpoint, "B-unumIndex-0", false},
                {KeyInfo::Kind::kCheckpoint, "B-unumIndex-1", false},
                {KeyInfo::Kind::kCheckpoint, "Ghost", true},
                {KeyInfo::Kind::kCheckpoint, "Start", true},
                {KeyInfo::Kind::kSet, "Agg-fanin", false},
                {KeyInfo::Kind::kSet, "Start-gc", true},
                {KeyInfo::Kind::kSessionRecord, "", false},
            }));
  // Another session's keys are not listed.
  EXPECT_TRUE(this->Keys(this->Session("list-other")).empty());
}

// A reader racing a writer sees the checkpoint either absent or whole.
TEST_P(DatastoreContractTest, ConcurrentReadsSeeWholeValues) {
  const std::string s = this->Session("torn");
  const std::string value = contract_internal::AllBytes(256 << 10);
  constexpr int kReaders = 4;
  constexpr int kKeys = 20;
  std::atomic<bool> writer_done{false};
  std::atomic<int> bad{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < kReaders; ++t) {
    readers.emplace_back([&] {
      int key = 0;
      while (!writer_done.load() || key < kKeys) {
        Result<Lookup> r =
            this->store().GetCheckpoint(s, "F-" + std::to_string(key % kKeys));
        if (!r.ok() || (r->present() && r->value != value) || r->tombstone()) {
          bad.fetch_add(1);
        }
        ++key;
      }
    });
  }
  for (int k = 0; k < kKeys; ++k) {
    EXPECT_TRUE(this->Put(s, "F-" + std::to_string(k), value));
  }
  writer_done.store(true);
  for (auto& th : readers) th.join();
  EXPECT_EQ(bad.load(), 0);
}

// Whatever order a delete and a put-if-absent race in, the key ends up a
// tombstone.
TEST_P(DatastoreContractTest, DeleteRacingPutEndsInTombstone) {
  const std::string s = this->Session("delete-race");
  constexpr int kRounds = 50;
  for (int round = 0; round < kRounds; ++round) {
    const std::string instance = "F-" + std::to_string(round);
    std::latch start(2);
    Status delete_status;
    std::thread deleter([&] {
      start.arrive_and_wait();
      delete_status = this->store().DeleteCheckpoint(
          s, instance, contract_internal::kLongTtl);
    });
    std::thread putter([&] {
      start.arrive_and_wait();
      (void)this->store().PutCheckpointIfAbsent(s, instance, "v");
    });
    deleter.join();
    putter.join();
    EXPECT_TRUE(delete_status.ok()) << delete_status.ToString();
    EXPECT_TRUE(this->Get(s, instance).tombstone()) << instance;
  }
}

// Adds racing a DeleteSet: each add is either counted or closed, counted
// sizes are distinct, and every add after the delete is closed.
TEST_P(DatastoreContractTest, AddsRacingDeleteSet) {
  const std::string s = this->Session("set-delete-race");
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  std::latch start(kThreads + 1);
  std::vector<std::vector<int64_t>> sizes(kThreads);
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < kPerThread; ++i) {
        Result<SetAddResult> r = this->store().AddToSet(
            s, "gc", std::to_string(t) + "-" + std::to_string(i));
        if (!r.ok()) {
          errors.fetch_add(1);
        } else if (r->closed) {
          if (r->size != 0) errors.fetch_add(1);
        } else {
          sizes[t].push_back(r->size);
        }
      }
    });
  }
  start.arrive_and_wait();
  this->DeleteSet(s, "gc");
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  std::vector<int64_t> all;
  for (const auto& v : sizes) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end());
  if (!all.empty()) {
    EXPECT_EQ(all.front(), 1);
    EXPECT_EQ(all.back(), static_cast<int64_t>(all.size()));
  }
  EXPECT_TRUE(this->Add(s, "gc", "after").closed);
}

// Trace events (observability): replaced by id, read back ordered by id,
// kept apart from checkpoints and out of ListKeys.
TEST_P(DatastoreContractTest, TraceEventsAreKeptByIdApartFromKeys) {
  const std::string s = this->Session("trace");
  Result<std::vector<std::string>> none = this->store().GetTraceEvents(s);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_TRUE(none->empty());

  const std::string binary = contract_internal::AllBytes(1000);
  ASSERT_TRUE(this->store().PutTraceEvent(s, "b/F-1", "second").ok());
  ASSERT_TRUE(this->store().PutTraceEvent(s, "a/F-0", "first, old").ok());
  ASSERT_TRUE(this->store().PutTraceEvent(s, "a/F-0", "first").ok());
  ASSERT_TRUE(this->store().PutTraceEvent(s, "c", binary).ok());
  EXPECT_TRUE(this->Put(s, "a/F-0", "checkpoint"));

  Result<std::vector<std::string>> events = this->store().GetTraceEvents(s);
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  EXPECT_EQ(*events, (std::vector<std::string>{"first", "second", binary}));
  EXPECT_EQ(this->Get(s, "a/F-0").value, "checkpoint");
  EXPECT_EQ(this->Keys(s), (std::vector<contract_internal::KeyTuple>{
                               {KeyInfo::Kind::kCheckpoint, "a/F-0", false}}));
  Result<std::vector<std::string>> other =
      this->store().GetTraceEvents(this->Session("trace-other"));
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->empty());
}

// ListSessions finds sessions by their record or trace events, sorted.
TEST_P(DatastoreContractTest, ListSessionsFindsRecordsAndTraces) {
  const std::string with_record = this->Session("ls-record");
  const std::string with_trace = this->Session("ls-trace");
  const std::string with_checkpoint = this->Session("ls-checkpoint");
  ASSERT_TRUE(this->store().PutSessionRecordIfAbsent(with_record, "r").ok());
  ASSERT_TRUE(this->store().PutTraceEvent(with_trace, "e", "v").ok());
  EXPECT_TRUE(this->Put(with_checkpoint, "F", "v"));

  Result<std::vector<std::string>> all = this->store().ListSessions();
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_TRUE(std::is_sorted(all->begin(), all->end()));
  std::vector<std::string> mine;
  for (const std::string& id : *all) {
    if (id.starts_with(this->Session(""))) mine.push_back(id);
  }
  EXPECT_EQ(mine, (std::vector<std::string>{with_record, with_trace}));
}

}  // namespace unum
