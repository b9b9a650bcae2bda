#include "system/store/client.hpp"

#include <algorithm>

#include "sim/assert.hpp"
#include "system/store/probes.hpp"

namespace stormlog::system::store {

const char* to_string(Outcome o) {
    switch (o) {
        case Outcome::ok:
            return "ok";
        case Outcome::fail:
            return "fail";
        case Outcome::indeterminate:
            return "indeterminate";
    }
    return "?";
}

StoreClient::StoreClient(sim::Env& env, sim::Network& network, NodeId self, ClientOptions options)
    : env_(&env), network_(&network), self_(self), options_(options) {
    SL_ASSERT(options_.nodes >= 1);
    SL_ASSERT(options_.deadline > sim::Duration{});  // every call makes at least one attempt
    // Request ids stay unique across restarts of the client: the incarnation is in the high bits,
    // which must hold it.
    SL_ASSERT(env.incarnation() < (uint64_t{1} << 24));
    next_request_ = env.incarnation() << 40;
    rotate_ = static_cast<NodeId>(env.rng().below(options_.nodes));
}

CallResult StoreClient::append(const AppendCommand& command) {
    ClientRequest r;
    r.op = ClientOp::append;
    r.append = command;
    return call(std::move(r));
}

CallResult StoreClient::read(const std::string& stream, int64_t from, uint32_t max, bool any_node) {
    ClientRequest r;
    r.op = ClientOp::read;
    r.stream = stream;
    r.from = from;
    r.max = max;
    return call(std::move(r), any_node);
}

CallResult StoreClient::read_all(uint64_t from_position, uint32_t max) {
    ClientRequest r;
    r.op = ClientOp::read_all;
    r.from = static_cast<int64_t>(from_position);
    r.max = max;
    return call(std::move(r));
}

NodeId StoreClient::pick_target() {
    if (leader_) {
        SL_ASSERT(*leader_ < options_.nodes);  // hints are checked where they arrive
        return *leader_;
    }
    rotate_ = static_cast<NodeId>((rotate_ + 1) % options_.nodes);
    return rotate_;
}

bool StoreClient::settles(ClientStatus s) {
    return s == ClientStatus::ok || s == ClientStatus::wrong_expected_version ||
           s == ClientStatus::idempotency_conflict;
}

void StoreClient::observe_sent(uint64_t request) {
    if (options_.observer) options_.observer->on_attempt_sent(self_, request, env_->now());
}

void StoreClient::observe_over(uint64_t request, AttemptEnd end) {
    if (options_.observer) options_.observer->on_attempt_over(self_, request, env_->now(), end);
}

void StoreClient::observe_call_over(uint64_t request) {
    if (options_.observer) options_.observer->on_call_over(self_, request);
}

void StoreClient::backoff(int attempt, sim::Time deadline) {
    if (options_.bugs.retry_at_once) return;
    const int shift = options_.bugs.backoff_never_grows ? 0 : std::min(attempt, 16);
    const sim::Duration cap =
        std::min(options_.backoff_max, options_.backoff_base * (int64_t{1} << shift));
    const sim::Duration d = env_->rng().between(sim::Duration{}, cap);  // full jitter
    const sim::Duration left = deadline - env_->now();
    if (left.ns() > 0) env_->sleep(std::min(d, left));
}

CallResult StoreClient::call(ClientRequest request, bool any_node) {
    ++stats_.calls;
    request.request = ++next_request_;
    // Request ids increase within the incarnation's range: a session never sees one twice, nor
    // one of an earlier incarnation (EventStore answers an older request id as stale).
    SL_ASSERT(next_request_ >> 40 == env_->incarnation());
    if (request.op == ClientOp::append) {
        // The session: the state machine evaluates only the first attempt of this call to arrive.
        request.append.client = self_ + 1;
        request.append.request = request.request;
    }
    const std::vector<uint8_t> bytes = encode(request);
    const sim::Time deadline = env_->now() + options_.deadline;
    const bool is_append = request.op == ClientOp::append;
    CallResult out;
    bool lost = false;  // an attempt timed out or was answered unknown: it may still commit
    for (int attempt = 0; env_->now() < deadline; ++attempt) {
        ++out.attempts;
        ++stats_.attempts;
        NodeId target = pick_target();
        if (any_node && attempt == 0)
            target = static_cast<NodeId>(env_->rng().below(options_.nodes));
        network_->send(self_, target, bytes);
        observe_sent(request.request);
        const sim::Time attempt_end = std::min(deadline, env_->now() + options_.attempt_timeout);
        const std::optional<ClientResponse> resp = await(request.request, attempt_end);
        observe_over(request.request, !resp                   ? AttemptEnd::timed_out
                                      : settles(resp->status) ? AttemptEnd::answered
                                                              : AttemptEnd::backs_off);
        if (!resp) {
            // The request or its answer may be lost, or the node is slow: it may have applied it.
            ++stats_.timeouts;
            lost = true;
            leader_.reset();
            out.error = "no answer from n" + std::to_string(target + 1);
            continue;
        }
        out.response = *resp;
        switch (resp->status) {
            case ClientStatus::ok:
                if (!(any_node && attempt == 0)) leader_ = target;
                out.error.clear();
                if (lost && is_append) SL_PROBE(probes::ok_after_lost_attempt);
                settle(out, Outcome::ok, is_append);
                observe_call_over(request.request);
                return out;
            case ClientStatus::wrong_expected_version:
            case ClientStatus::idempotency_conflict:
                leader_ = target;
                out.error = to_string(resp->status);
                settle(out, Outcome::fail, is_append);
                observe_call_over(request.request);
                return out;
            case ClientStatus::not_leader:
                ++stats_.redirects;
                // A hint names a store node (or is ignored: it is what a message says).
                leader_ = resp->leader && *resp->leader != target && *resp->leader < options_.nodes
                              ? resp->leader
                              : std::nullopt;
                if (leader_) SL_PROBE(probes::leader_hint_followed);
                out.error = "n" + std::to_string(target + 1) + " is not the leader";
                break;
            case ClientStatus::unavailable:
                leader_.reset();
                out.error = "n" + std::to_string(target + 1) + " is unavailable";
                break;
            case ClientStatus::unknown:
                lost = true;
                leader_.reset();
                out.error =
                    "leadership changed at n" + std::to_string(target + 1) + " before it committed";
                break;
        }
        backoff(attempt, deadline);
    }
    // A copy of any attempt may still be in flight (delayed or duplicated) and reach a leader
    // later, so without a verdict from the state machine an append stays indeterminate.
    if (is_append) SL_PROBE(probes::append_indeterminate);
    settle(out, is_append ? Outcome::indeterminate : Outcome::fail, is_append);
    out.error = "deadline passed (" + out.error + ")";
    observe_call_over(request.request);
    return out;
}

void StoreClient::settle(CallResult& out, Outcome o, bool is_append) {
    // ok only with the store's ok; indeterminate only for an append (a read that was not
    // served changed nothing: it failed).
    SL_ASSERT(o != Outcome::ok || out.response.status == ClientStatus::ok);
    SL_ASSERT(o != Outcome::indeterminate || is_append);
    out.outcome = o;
    switch (o) {
        case Outcome::ok:
            ++stats_.ok;
            break;
        case Outcome::fail:
            ++stats_.fail;
            break;
        case Outcome::indeterminate:
            ++stats_.indeterminate;
            break;
    }
    // Every call ends in one outcome, once (fibers may share a client: some calls may be open).
    SL_ASSERT(stats_.ok + stats_.fail + stats_.indeterminate <= stats_.calls);
}

std::optional<ClientResponse> StoreClient::await(uint64_t request, sim::Time deadline) {
    for (;;) {
        const sim::Duration left = deadline - env_->now();
        if (left.ns() <= 0) return std::nullopt;
        const sim::Time true_deadline =
            env_->kernel().now() +
            std::max(sim::Duration::nanos(1), env_->node().clock().true_duration(left));
        sim::Packet p;
        if (network_->receive(self_, p, true_deadline) != sim::ChannelStatus::ok)
            return std::nullopt;
        if (!p.intact()) continue;
        std::optional<ClientResponse> r = decode_client_response(p.payload);
        // Answers to earlier calls arrive late; they are not this call's.
        if (r && r->request == request) return r;
    }
}

}  // namespace stormlog::system::store

namespace stormlog::system::store {

Subscription::Subscription(sim::Env& env, StoreClient& client, uint64_t from_position,
                           SubscriptionOptions options)
    : env_(&env), client_(&client), position_(from_position), options_(options) {
    // A batch the store serves (it refuses reads of more than k_read_max) and that can progress.
    SL_ASSERT(options_.batch >= 1);
    SL_ASSERT(options_.batch <= k_read_max);
}

Subscription::Batch Subscription::next(sim::Time deadline) {
    Batch out;
    while (env_->now() < deadline) {
        const CallResult r = client_->read_all(position_, options_.batch);
        if (r.outcome == Outcome::ok && !r.response.events.empty()) {
            for (const RecordedEvent& e : r.response.events) {
                if (e.global_position != position_) {
                    out.error = "read_all from " + std::to_string(position_) +
                                " returned global position " + std::to_string(e.global_position);
                    return out;
                }
                ++position_;
            }
            out.events = r.response.events;
            if (out.events.size() < options_.batch) live_ = true;
            return out;
        }
        if (r.outcome == Outcome::ok) live_ = true;  // caught up: nothing after the position yet
        const sim::Duration left = deadline - env_->now();
        if (left.ns() <= 0) break;
        env_->sleep(std::min(options_.poll_interval, left));
    }
    return out;
}

}  // namespace stormlog::system::store
