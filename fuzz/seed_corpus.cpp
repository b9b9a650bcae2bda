// stormlog_fuzz_seeds OUTDIR: writes a starting corpus for every binary codec target, one
// directory per target (OUTDIR/<target>/NNN), made by the codecs' own encoders from values like
// the ones a run produces. A fuzzer starting from real encodings gets past the checksums and
// format bytes on its first mutations; text targets start from the repository's own files.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "system/ledger/ledger_events.hpp"
#include "system/projections/checkpoint.hpp"
#include "system/projections/read_model.hpp"
#include "system/store/client_protocol.hpp"
#include "system/store/command.hpp"
#include "system/store/event_store.hpp"
#include "system/store/raft_messages.hpp"
#include "system/store/record_format.hpp"
#include "system/store/snapshot_format.hpp"

namespace {

namespace fs = std::filesystem;
namespace store = stormlog::system::store;
namespace format = stormlog::system::store::format;
namespace projections = stormlog::system::projections;
namespace ledger = stormlog::system::ledger;
using Bytes = std::vector<uint8_t>;

class Writer {
  public:
    explicit Writer(fs::path root) : root_(std::move(root)) {}

    void put(const std::string& target, const Bytes& bytes) {
        const fs::path dir = root_ / target;
        fs::create_directories(dir);
        char name[16];
        std::snprintf(name, sizeof name, "%03d", count_[target]++);
        // Temporary name, then rename: a reader never sees half a seed.
        const fs::path tmp = dir / (std::string(name) + ".tmp");
        std::ofstream(tmp, std::ios::binary)
            .write(reinterpret_cast<const char*>(bytes.data()),
                   static_cast<std::streamsize>(bytes.size()));
        fs::rename(tmp, dir / name);
    }
    int written() const {
        int n = 0;
        for (const auto& [target, c] : count_) n += c;
        return n;
    }

  private:
    fs::path root_;
    std::map<std::string, int> count_;
};

Bytes bytes_of(const std::string& s) {
    return Bytes(s.begin(), s.end());
}

store::AppendCommand sample_append(uint64_t request) {
    store::AppendCommand c;
    c.stream = "acct-alice";
    c.expected = request % 2 ? store::Expected::exact(2) : store::Expected::no_stream();
    c.events = {{"op-" + std::to_string(request), bytes_of("deposit 40")},
                {"op-" + std::to_string(request) + "b", bytes_of("memo")}};
    c.client = 7;
    c.request = request;
    return c;
}

std::vector<store::Entry> sample_entries() {
    return {{store::Index{1}, store::Term{1}, store::encode_command(store::NoopCommand{})},
            {store::Index{2}, store::Term{1}, store::encode_command(sample_append(1))},
            {store::Index{3}, store::Term{2}, store::encode_command(sample_append(2))}};
}

store::EventStore sample_event_store() {
    store::EventStore es;
    uint64_t index = 0;
    for (const auto& e : sample_entries()) {
        if (auto c = store::decode_command(e.data)) es.apply(++index, *c);
    }
    return es;
}

void raft_messages(Writer& w) {
    const store::Term t{3};
    w.put("raft_message",
          store::encode(store::VoteRequest{t, false, store::Index{9}, store::Term{2}}));
    w.put("raft_message",
          store::encode(store::VoteRequest{t, true, store::Index{9}, store::Term{2}}));
    w.put("raft_message", store::encode(store::VoteResponse{t, false, true}));
    w.put("raft_message",
          store::encode(store::AppendRequest{t, store::Index{0}, store::Term{0}, store::Index{1}, 4,
                                             sample_entries()}));
    w.put("raft_message", store::encode(store::AppendRequest{
                              t, store::Index{3}, store::Term{2}, store::Index{3}, 5, {}}));
    w.put("raft_message", store::encode(store::AppendResponse{t, true, store::Index{3}, 5}));
    w.put("raft_message", store::encode(store::RepairRequest{t, store::Index{2}, store::Term{1}}));
    w.put("raft_message", store::encode(store::RepairRequest{t, store::Index{2}, std::nullopt}));
    w.put("raft_message", store::encode(store::RepairResponse{t, true, sample_entries()[1],
                                                              store::Index{2}, store::Term{1}}));
    w.put("raft_message", store::encode(store::RepairResponse{t, false, std::nullopt,
                                                              store::Index{2}, store::Term{1}}));
    w.put("raft_message",
          store::encode(store::SnapshotRequest{t, store::Index{3}, store::Term{2}, store::Index{3},
                                               6, 0, 4, bytes_of("snap")}));
    w.put("raft_message", store::encode(store::SnapshotResponse{t, store::Index{3}, 4, true, 6}));
}

void client_messages(Writer& w) {
    store::ClientRequest append;
    append.request = 11;
    append.append = sample_append(11);
    w.put("client_protocol", store::encode(append));
    store::ClientRequest read;
    read.request = 12;
    read.op = store::ClientOp::read;
    read.stream = "acct-alice";
    read.from = 0;
    read.max = 100;
    w.put("client_protocol", store::encode(read));
    read.op = store::ClientOp::read_all;
    read.stream.clear();
    w.put("client_protocol", store::encode(read));

    store::ClientResponse ok;
    ok.request = 11;
    ok.result.first = 0;
    ok.result.last = 1;
    ok.result.first_global = 4;
    ok.result.last_global = 5;
    w.put("client_protocol", store::encode(ok));
    store::ClientResponse redirect;
    redirect.request = 11;
    redirect.status = store::ClientStatus::not_leader;
    redirect.leader = stormlog::sim::NodeId{2};
    w.put("client_protocol", store::encode(redirect));
    store::ClientResponse events;
    events.request = 12;
    events.events = sample_event_store().read_all(0, 10);
    w.put("client_protocol", store::encode(events));
}

void commands(Writer& w) {
    w.put("command", store::encode_command(store::NoopCommand{}));
    for (uint64_t r = 1; r <= 3; ++r) w.put("command", store::encode_command(sample_append(r)));
}

void log_records(Writer& w) {
    for (const auto& e : sample_entries()) {
        Bytes record;
        format::encode_record(e, record);
        w.put("log_records", record);
    }
    Bytes proof(format::k_proof_bytes);
    format::encode_proof({store::Index{2}, store::Term{1}, 512, 40, 0x1234}, proof);
    w.put("log_records", proof);
    Bytes meta(format::k_meta_slot_bytes);
    format::encode_meta({5, {store::Term{3}, stormlog::sim::NodeId{1}, store::Index{3}}}, meta);
    w.put("log_records", meta);
}

void snapshots(Writer& w) {
    const Bytes state = sample_event_store().snapshot();
    w.put("snapshot_file", state);
    w.put("snapshot_file", format::encode_snapshot({2, {store::Index{3}, store::Term{2}, state}}));
    w.put("snapshot_file", store::EventStore().snapshot());
}

class SampleModel final : public projections::FlatModel {
  public:
    std::string kind() const override { return "sample"; }
    void apply(const store::RecordedEvent& e) override { state_[e.stream] += 1; }
};

void checkpoints(Writer& w) {
    SampleModel model;
    for (const auto& e : sample_event_store().read_all(0, 10)) model.apply(e);
    w.put("checkpoint_record", model.encode());
    w.put("checkpoint_record", projections::encode_record({3, 4, {1, 2}, model.encode()}));
    w.put("checkpoint_record", projections::encode_record({1, 0, {}, {}}));
}

void ledger_events(Writer& w) {
    w.put("ledger_event", ledger::encode({ledger::EventType::opened, 0, "", ""}));
    w.put("ledger_event", ledger::encode({ledger::EventType::deposited, 40, "", ""}));
    w.put("ledger_event", ledger::encode({ledger::EventType::transfer_debited, 15, "t-1", "bob"}));
    w.put("ledger_event", ledger::poison_payload(1));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
        return 2;
    }
    Writer w{fs::path(argv[1])};
    raft_messages(w);
    client_messages(w);
    commands(w);
    log_records(w);
    snapshots(w);
    checkpoints(w);
    ledger_events(w);
    std::printf("%d seeds in %s\n", w.written(), argv[1]);
    return 0;
}
