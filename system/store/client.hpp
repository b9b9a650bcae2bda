#pragma once
// StoreClient: the client library a simulated application uses to talk to the event store.
//
// Each call has a deadline. Within it the client finds the leader (starting from its last guess,
// following not_leader hints, otherwise trying nodes in turn), retries with exponential backoff
// and full jitter, and keeps the request id and the event ids across retries - so a retried
// append that already took effect is answered with its original positions, not applied twice.
//
// Every call ends in one of three outcomes, which the history records as Jepsen does:
//   ok             it took effect (append) or was served (read), with the result
//   fail           it certainly did not take effect: the state machine refused it
//                  (WrongExpectedVersion, an idempotency conflict) - final, because the client
//                  session makes every other copy of the request get the same answer - or it
//                  was a read that was not served
//   indeterminate  an append the deadline ended without a verdict: a copy of an attempt may
//                  still be in flight (the network delays and duplicates) and commit later

#include <cstdint>
#include <optional>
#include <string>

#include "sim/env.hpp"
#include "sim/network.hpp"
#include "system/store/client_protocol.hpp"

namespace stormlog::system::store {

enum class Outcome : uint8_t { ok, fail, indeterminate };
const char* to_string(Outcome o);

// Watches a client's attempts (the client.backoff property's tap). Times are the client's own
// clock: a wait is what the client slept on it.
class ClientObserver {
  public:
    // How an attempt ended: with the call's answer, with an answer that sends the client to
    // another attempt after a backoff (not the leader, unavailable, unknown), or with no answer
    // by its timeout (the timeout was the wait: the next attempt goes at once).
    enum class AttemptEnd : uint8_t { answered, backs_off, timed_out };

    virtual ~ClientObserver() = default;
    // Client node `client` sent an attempt of its call `request`.
    virtual void on_attempt_sent(NodeId client, uint64_t request, sim::Time now) = 0;
    virtual void on_attempt_over(NodeId client, uint64_t request, sim::Time now,
                                 AttemptEnd end) = 0;
    // The call returned (answered, or its deadline passed).
    virtual void on_call_over(NodeId client, uint64_t request) = 0;
};

// Deliberate bugs, switched on only by tests that prove client.backoff catches them.
struct ClientBugs {
    bool retry_at_once = false;        // no wait between attempts: a retry storm
    bool backoff_never_grows = false;  // every wait drawn under the first ceiling
};

struct ClientOptions {
    size_t nodes = 3;  // store nodes are 0..nodes-1
    ClientObserver* observer = nullptr;
    ClientBugs bugs;
    sim::Duration deadline = sim::Duration::seconds(2);
    sim::Duration attempt_timeout = sim::Duration::millis(250);
    sim::Duration backoff_base = sim::Duration::millis(10);
    sim::Duration backoff_max = sim::Duration::millis(400);
};

struct CallResult {
    Outcome outcome = Outcome::fail;
    ClientResponse response;  // the settling response (ok, or the refusal that made it fail)
    std::string error;        // why it failed or is indeterminate
    int attempts = 0;
};

struct ClientStats {
    uint64_t calls = 0, attempts = 0, timeouts = 0, redirects = 0, ok = 0, fail = 0,
             indeterminate = 0;
};

class StoreClient {
  public:
    // `self` is the client's node (its network endpoint). Call from a fiber of that node.
    StoreClient(sim::Env& env, sim::Network& network, NodeId self, ClientOptions options);

    CallResult append(const AppendCommand& command);
    // `any_node`: the first attempt goes to a random node (reads spread over the cluster); a
    // correct store redirects it to the leader.
    CallResult read(const std::string& stream, int64_t from, uint32_t max, bool any_node = false);
    CallResult read_all(uint64_t from_position, uint32_t max);

    std::optional<NodeId> leader_guess() const { return leader_; }
    const ClientStats& stats() const { return stats_; }

  private:
    CallResult call(ClientRequest request, bool any_node = false);
    // Waits for the response to `request` until `deadline` (local time); nullopt on timeout.
    std::optional<ClientResponse> await(uint64_t request, sim::Time deadline);
    NodeId pick_target();
    void backoff(int attempt, sim::Time deadline);
    using AttemptEnd = ClientObserver::AttemptEnd;
    // Whether an answer with this status ends the call.
    static bool settles(ClientStatus s);
    void observe_sent(uint64_t request);
    void observe_over(uint64_t request, AttemptEnd end);
    void observe_call_over(uint64_t request);
    // Ends the call with outcome `o`, counted once.
    void settle(CallResult& out, Outcome o, bool is_append);

    sim::Env* env_;
    sim::Network* network_;
    NodeId self_;
    ClientOptions options_;
    uint64_t next_request_ = 0;
    std::optional<NodeId> leader_;
    NodeId rotate_ = 0;
    ClientStats stats_;
};

}  // namespace stormlog::system::store

namespace stormlog::system::store {

struct SubscriptionOptions {
    uint32_t batch = 64;                                      // events per read
    sim::Duration poll_interval = sim::Duration::millis(50);  // between reads once caught up
};

// A subscription to the all-stream from a global position: catch-up (reads of `batch` events
// until none are left), then live (a read every `poll_interval`, returning as soon as there is
// something new). Reads go through ReadIndex, so what it delivers is committed; events arrive in
// global order, each once, with no gap - a batch that does not start exactly at the position
// (impossible for a correct store) is an error, not silently skipped.
class Subscription {
  public:
    Subscription(sim::Env& env, StoreClient& client, uint64_t from_position,
                 SubscriptionOptions options = {});

    struct Batch {
        std::vector<RecordedEvent> events;  // empty: nothing new before the deadline
        std::string error;                  // non-empty: the store broke the gap-free contract
    };
    // The next events after position(), waiting for some until `deadline` (local time).
    Batch next(sim::Time deadline);

    uint64_t position() const { return position_; }
    bool live() const { return live_; }  // caught up at least once

  private:
    sim::Env* env_;
    StoreClient* client_;
    uint64_t position_;
    SubscriptionOptions options_;
    bool live_ = false;
};

}  // namespace stormlog::system::store
