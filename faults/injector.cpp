#include "faults/injector.hpp"

#include <spdlog/logger.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "faults/budget.hpp"
#include "sim/assert.hpp"

namespace stormlog::faults {
namespace {

using sim::NodeId;
using sim::Time;

const uint64_t k_trace_apply = sim::trace_kind_named("fault.apply");
const uint64_t k_trace_heal = sim::trace_kind_named("fault.heal");
const uint64_t k_trace_skip = sim::trace_kind_named("fault.skip");

bool is(const FaultKindInfo& k, const char* name) {
    return k.name == name;
}

bool crashes_node(const FaultKindInfo& k) {
    return is(k, "crash") || is(k, "lose-unsynced") || is(k, "torn-write") || is(k, "wipe-disk") ||
           is(k, "power-loss");
}

bool changes_link_quality(const FaultKindInfo& k) {
    return is(k, "packet-loss") || is(k, "packet-duplication") || is(k, "packet-corruption") ||
           is(k, "latency-spike");
}

double param(const FaultSpec& spec, const FaultKindInfo& kind, const char* name) {
    auto it = spec.params.find(name);
    if (it != spec.params.end()) return it->second;
    const ParamInfo* p = find_param(kind, name);
    SL_ASSERT(p != nullptr);
    return p->default_value;
}

}  // namespace

struct Injector::Active {
    size_t log_index = 0;
    FaultSpec spec;
    const FaultKindInfo* kind = nullptr;
    std::vector<NodeId> targets;
    Links links;         // directed links between cluster nodes this fault blocks
    Links client_links;  // and those it blocks to put client nodes on a side (not budgeted)
    sim::TimerId heal_timer;
    bool healed = false;
};

Injector::Injector(World world, std::vector<FaultSpec> scripted, NemesisSpec nemesis, Budget budget,
                   Time heal_all_at)
    : world_(std::move(world)),
      scripted_(std::move(scripted)),
      nemesis_(std::move(nemesis)),
      budget_(budget),
      heal_all_at_(heal_all_at),
      rng_(world_.sim->fork_rng("faults")),
      client_rng_(world_.sim->fork_rng("faults.clients")),
      n_(world_.nodes != 0 ? world_.nodes : world_.sim->nodes().size()),
      total_(world_.sim->nodes().size()),
      blocked_(total_ * total_),
      unavailable_(n_),
      corrupt_(n_),
      crashed_(n_),
      paused_(n_) {
    SL_ASSERT(n_ <= total_);
    for (sim::Disk* d : world_.disks) torn_default_.push_back(d->options().torn_write_probability);
}

Injector::~Injector() {
    for (sim::TimerId t : timers_) world_.sim->cancel(t);
    for (auto& a : active_) world_.sim->cancel(a->heal_timer);
}

void Injector::start() {
    for (size_t i = 0; i < scripted_.size(); ++i) {
        timers_.push_back(world_.sim->schedule_at(Time::zero() + scripted_[i].at,
                                                  [this, i] { apply(scripted_[i], "scripted"); }));
    }
    if (nemesis_.enabled && !nemesis_.kinds.empty()) {
        next_nemesis_fault(Time::zero() + nemesis_.window_start +
                           rng_.exponential(nemesis_.mean_interval));
    }
    if (budget_ == Budget::within && heal_all_at_ != Time::max()) {
        timers_.push_back(world_.sim->schedule_at(heal_all_at_, [this] { heal_all(); }));
    }
}

Time Injector::last_heal() const {
    Time last = Time::zero();
    for (const AppliedFault& f : log_) last = std::max(last, f.healed_at);
    return last;
}

// ---- Applying -------------------------------------------------------------------------------

bool Injector::apply(const FaultSpec& spec, const std::string& origin) {
    const FaultKindInfo* kind = find_kind(spec.kind);
    SL_ASSERT(kind != nullptr && "scenario validation checks fault kinds");
    sim::Simulation& sim = *world_.sim;
    std::vector<NodeId> targets;
    if (!world_has_part(*kind) || (kind->takes_target && !choose_targets(spec, *kind, targets))) {
        ++stats_.skipped_no_target;
        sim.record(sim::k_no_node, k_trace_skip, sim::hash_string(kind->name),
                   [&] { return kind->name + " (" + origin + "): no target"; });
        skip(spec, origin, no_target_reason(spec, *kind));
        return false;
    }
    if (is(*kind, "power-loss")) {
        for (NodeId i = 0; i < n_; ++i) targets.push_back(i);
    }
    std::vector<std::vector<NodeId>> given;  // the exact layout of spec.sides, by node
    for (const std::vector<std::string>& side : spec.sides) {
        given.emplace_back();
        for (const std::string& name : side) {
            NodeId id = 0;
            if (!node_named(name, id)) {
                ++stats_.skipped_no_target;
                sim.record(sim::k_no_node, k_trace_skip, sim::hash_string(kind->name), [&] {
                    return kind->name + " (" + origin + "): no node named \"" + name + "\"";
                });
                skip(spec, origin, "no node named \"" + name + "\"");
                return false;
            }
            given.back().push_back(id);
        }
    }
    SL_ASSERT(!requires_sides(*kind) || !given.empty());
    std::vector<ClientSide> sides;
    std::vector<std::vector<NodeId>> layout;
    Links links;
    Links exact_client_links;
    if (!given.empty() && takes_sides(*kind)) {
        layout_links(*kind, given, links, exact_client_links);
    } else {
        links = partition_links(*kind, targets, &sides, &layout);
    }
    if (budget_ == Budget::within) {
        const size_t faulty = faulty_count(*kind, targets, links);
        if (!within_budget(*kind, faulty)) {
            ++stats_.skipped_budget;
            sim.record(sim::k_no_node, k_trace_skip, sim::hash_string(kind->name) ^ 1,
                       [&] { return kind->name + " (" + origin + "): beyond the budget"; });
            skip(spec, origin, beyond_budget_reason(*kind, faulty));
            return false;
        }
    }
    auto a = std::make_unique<Active>();
    a->log_index = log_.size();
    a->spec = spec;
    a->kind = kind;
    a->targets = targets;
    a->links = links;
    // Clients are placed only once the fault is certain to apply: a skipped one draws nothing.
    std::vector<size_t> chosen;
    if (!given.empty()) {
        a->client_links = exact_client_links;
    } else if (!sides.empty() && param(spec, *kind, "clients") != 0) {
        a->client_links = client_links(sides, chosen);
    }
    log_.push_back(AppliedFault{kind->name, origin, targets, sim.now(), Time::max(), describe(spec),
                                explicit_spec(spec, *kind, targets, layout, chosen)});
    ++stats_.applied;
    uint64_t digest = sim::hash_string(kind->name);
    for (NodeId t : targets) digest = sim::hash_combine(digest, t);
    std::string on;
    for (NodeId t : targets) on += (on.empty() ? "" : ",") + sim.node(t).name();
    if (on.empty()) on = "cluster";
    sim.record(sim::k_no_node, k_trace_apply, digest,
               [&] { return kind->name + " (" + origin + ") on [" + on + "]: " + describe(spec); });
    if (world_.on_fault) world_.on_fault(a->log_index, false);
    sim.log().info("fault {} ({}) on [{}]: {}", kind->name, origin, on, describe(spec));
    Active& ref = *a;
    active_.push_back(std::move(a));  // before acting: link quality is recomputed from active_
    act(ref);
    if (!kind->takes_duration) {
        heal(ref);
        return true;
    }
    Time heal_at = sim.now() + spec.duration;
    if (budget_ == Budget::within) heal_at = std::min(heal_at, heal_all_at_);
    ref.heal_timer = sim.schedule_at(heal_at, [this, &ref] { heal(ref); });
    return true;
}

bool Injector::world_has_part(const FaultKindInfo& kind) const {
    if (kind.category == Category::network) return world_.network != nullptr;
    if (kind.category == Category::application) return static_cast<bool>(world_.application);
    if (kind.category == Category::disk || is(kind, "wipe-disk")) return world_.disks.size() == n_;
    return true;
}

bool Injector::choose_targets(const FaultSpec& spec, const FaultKindInfo&,
                              std::vector<NodeId>& out) {
    auto random_subset = [&](size_t k) {
        std::vector<NodeId> ids(n_);
        for (NodeId i = 0; i < n_; ++i) ids[i] = i;
        for (size_t i = 0; i < k; ++i) std::swap(ids[i], ids[i + rng_.below(n_ - i)]);
        ids.resize(k);
        std::sort(ids.begin(), ids.end());
        return ids;
    };
    switch (spec.target.kind) {
        case TargetKind::node:
            if (static_cast<size_t>(spec.target.node) >= n_) return false;
            out = {static_cast<NodeId>(spec.target.node)};
            return true;
        case TargetKind::leader: {
            std::optional<NodeId> leader = world_.leader ? world_.leader() : std::nullopt;
            if (!leader) return false;
            out = {*leader};
            return true;
        }
        case TargetKind::follower: {
            // A node that is up and not the leader (a crashed node follows no one).
            const std::optional<NodeId> leader = world_.leader ? world_.leader() : std::nullopt;
            std::vector<NodeId> live;
            for (NodeId i = 0; i < n_; ++i) {
                if (crashed_[i] == 0 && (!leader || i != *leader)) live.push_back(i);
            }
            if (live.empty()) return false;
            out = {live[rng_.below(live.size())]};
            return true;
        }
        case TargetKind::random:
            out = random_subset(1);
            return true;
        case TargetKind::minority:
            out = random_subset(std::max<size_t>(1, faulty_max_within(n_)));
            return true;
        case TargetKind::majority:
            out = random_subset(n_ / 2 + 1);
            return true;
        case TargetKind::all:
            out = random_subset(n_);
            return true;
        case TargetKind::nodes:
            for (int t : spec.target.nodes) {
                if (t < 0 || static_cast<size_t>(t) >= n_) return false;
                out.push_back(static_cast<NodeId>(t));
            }
            return !out.empty();
    }
    return false;
}

Injector::Links Injector::partition_links(const FaultKindInfo& kind,
                                          const std::vector<NodeId>& targets,
                                          std::vector<ClientSide>* sides,
                                          std::vector<std::vector<NodeId>>* layout) {
    Links links;
    // A side whose client reaches exactly `reach`, both ways.
    auto side = [&](const std::vector<NodeId>& reach) {
        if (layout) layout->push_back(reach);
        if (!sides) return;
        const std::vector<NodeId> rest = others(reach);
        sides->push_back(ClientSide{rest, rest});
    };
    auto cut = [&](const std::vector<NodeId>& a, const std::vector<NodeId>& b) {
        for (NodeId x : a) {
            for (NodeId y : b) {
                links.emplace_back(x, y);
                links.emplace_back(y, x);
            }
        }
    };
    std::vector<NodeId> order(n_);
    for (NodeId i = 0; i < n_; ++i) order[i] = i;
    auto shuffle = [&] {
        for (size_t i = n_; i > 1; --i) std::swap(order[i - 1], order[rng_.below(i)]);
    };
    if (is(kind, "partition-halves") || is(kind, "partition-minority")) {
        shuffle();
        size_t k = is(kind, "partition-minority") ? std::max<size_t>(1, faulty_max_within(n_))
                                                  : n_ / 2 + (n_ % 2) * rng_.below(2);
        const std::vector<NodeId> a(order.begin(), order.begin() + static_cast<long>(k));
        const std::vector<NodeId> b(order.begin() + static_cast<long>(k), order.end());
        cut(a, b);
        side(a);
        side(b);
    } else if (is(kind, "partition-bridge")) {
        shuffle();  // order[0] is the bridge; the rest split in two halves
        const size_t half = 1 + faulty_max_within(n_);
        std::vector<NodeId> a(order.begin() + 1, order.begin() + static_cast<long>(half));
        std::vector<NodeId> b(order.begin() + static_cast<long>(half), order.end());
        cut(a, b);
        // A client reaches its half and the bridge, as the half's own nodes do.
        a.push_back(order[0]);
        b.push_back(order[0]);
        side(a);
        side(b);
    } else if (is(kind, "partition-ring")) {
        shuffle();
        std::vector<size_t> pos(n_);
        for (size_t i = 0; i < n_; ++i) pos[order[i]] = i;
        for (NodeId a = 0; a < n_; ++a) {
            for (NodeId b = 0; b < n_; ++b) {
                const size_t d = (pos[a] + n_ - pos[b]) % n_;
                if (a != b && d != 1 && d != n_ - 1) links.emplace_back(a, b);
            }
        }
        // A client sits in the ring between two neighbours and reaches only those two.
        for (size_t i = 0; i < n_; ++i) side({order[i], order[(i + 1) % n_]});
    } else if (is(kind, "isolate") || is(kind, "partition-one-way")) {
        const bool both = is(kind, "isolate");
        for (NodeId t : targets) {
            for (NodeId o = 0; o < n_; ++o) {
                if (o == t) continue;
                links.emplace_back(t, o);
                if (both) links.emplace_back(o, t);
            }
        }
        if (both) {
            // With an isolated node a client reaches only it; or it stays with the rest.
            for (NodeId t : targets) side({t});
            side(others(targets));
        } else {
            // With the targets: heard by the rest but never heard back; or with the rest: deaf
            // to the targets, as the rest is.
            if (sides) sides->push_back(ClientSide{others(targets), {}});
            if (sides) sides->push_back(ClientSide{{}, targets});
            if (layout) *layout = {targets, others(targets)};
        }
    }
    return links;
}

Injector::Links Injector::client_links(const std::vector<ClientSide>& sides,
                                       std::vector<size_t>& chosen) {
    SL_ASSERT(!sides.empty());
    Links links;
    for (NodeId c = static_cast<NodeId>(n_); c < total_; ++c) {
        chosen.push_back(client_rng_.below(sides.size()));
        const ClientSide& s = sides[chosen.back()];
        for (NodeId x : s.no_send) links.emplace_back(c, x);
        for (NodeId x : s.no_receive) links.emplace_back(x, c);
    }
    return links;
}

// ---- The budget -----------------------------------------------------------------------------

std::vector<bool> Injector::faulty_with(const std::vector<NodeId>& extra,
                                        const Links& extra_links) const {
    std::vector<int> blocked = blocked_;
    for (auto [a, b] : extra_links) ++blocked[a * total_ + b];
    const size_t majority = n_ / 2 + 1;
    std::vector<bool> faulty(n_);
    for (NodeId i = 0; i < n_; ++i) {
        size_t reach = 1;
        for (NodeId j = 0; j < n_; ++j) {
            if (j != i && blocked[i * total_ + j] == 0 && blocked[j * total_ + i] == 0) ++reach;
        }
        faulty[i] = unavailable_[i] > 0 || corrupt_[i] > 0 || reach < majority;
    }
    for (NodeId t : extra) faulty[t] = true;
    return faulty;
}

std::vector<bool> Injector::faulty_nodes() const {
    return faulty_with({}, {});
}

size_t Injector::faulty_count(const FaultKindInfo& kind, const std::vector<NodeId>& targets,
                              const Links& links) const {
    // A power loss takes every node down but loses nothing a node promised (synced writes
    // survive): a crash-recovery system is built to tolerate it, alone - so what counts is who
    // is faulty already.
    // Links speak for partitions; other node faults mark their targets, and an instant restart
    // still takes its node down for a moment.
    const bool marks_targets = !is(kind, "power-loss") && links.empty() &&
                               (kind.impact != Impact::none || is(kind, "restart"));
    const std::vector<bool> faulty =
        faulty_with(marks_targets ? targets : std::vector<NodeId>{}, links);
    return static_cast<size_t>(std::count(faulty.begin(), faulty.end(), true));
}

bool Injector::within_budget(const FaultKindInfo& kind, size_t faulty) const {
    return is(kind, "power-loss") ? faulty == 0 : faulty <= faulty_max_within(n_);
}

std::string Injector::beyond_budget_reason(const FaultKindInfo& kind, size_t faulty) const {
    if (is(kind, "power-loss")) {
        return "beyond the budget: a power loss needs every node healthy, and " +
               std::to_string(faulty) + " are faulty";
    }
    return "beyond the budget: " + std::to_string(faulty) + " nodes would be faulty (at most " +
           std::to_string(faulty_max_within(n_)) + " of " + std::to_string(n_) + " may be)";
}

std::string Injector::no_target_reason(const FaultSpec& spec, const FaultKindInfo& kind) const {
    if (!world_has_part(kind)) return "the workload has no part it acts on";
    switch (spec.target.kind) {
        case TargetKind::leader:
            return "no leader at that moment";
        case TargetKind::follower:
            return "no node up besides the leader";
        case TargetKind::node:
            return "no such node";
        default:
            return "no node to act on";
    }
}

void Injector::skip(const FaultSpec& spec, const std::string& origin, std::string why) {
    world_.sim->log().debug("fault {} ({}) skipped: {}", spec.kind, origin, why);
    // The nemesis's skips are its way of staying within the budget, and only counted.
    if (origin == "scripted")
        skipped_.push_back(SkippedFault{spec.kind, origin, world_.sim->now(), std::move(why)});
}

std::vector<NodeId> Injector::others(const std::vector<NodeId>& nodes) const {
    std::vector<NodeId> rest;
    for (NodeId i = 0; i < n_; ++i) {
        if (std::find(nodes.begin(), nodes.end(), i) == nodes.end()) rest.push_back(i);
    }
    return rest;
}

// ---- Acting on the world --------------------------------------------------------------------

void Injector::block_link(NodeId a, NodeId b, int delta) {
    SL_ASSERT(a < total_ && b < total_ && a != b);
    int& c = blocked_[a * total_ + b];
    const bool was = c > 0;
    c += delta;
    SL_ASSERT(c >= 0);
    if (was != (c > 0)) (c > 0) ? world_.network->block(a, b) : world_.network->unblock(a, b);
}

void Injector::recompute_links() {
    sim::LinkSettings s = world_.link_defaults;
    for (const auto& a : active_) {
        if (a->healed || !changes_link_quality(*a->kind)) continue;
        const FaultKindInfo& k = *a->kind;
        if (is(k, "latency-spike")) {
            const auto extra =
                sim::Duration::nanos(static_cast<int64_t>(param(a->spec, k, "latency")));
            s.latency_max += extra;
            s.latency_min += extra / 2;
            continue;
        }
        const double rate = param(a->spec, k, "rate");
        double& field = is(k, "packet-loss")          ? s.loss
                        : is(k, "packet-duplication") ? s.duplicate
                                                      : s.corrupt;
        field = 1.0 - (1.0 - field) * (1.0 - rate);  // independent faults compose
    }
    world_.network->set_all_links(s);
}

void Injector::act(Active& a) {
    sim::Simulation& sim = *world_.sim;
    const FaultKindInfo& k = *a.kind;
    if (k.category == Category::application) {
        // A workload without the part (no projections, no downstream) has nothing to act on.
        if (!world_.application(a.spec, false))
            sim.log().debug("fault {}: nothing to act on", k.name);
        log_[a.log_index].spec.params = a.spec.params;  // with what the workload chose
        return;
    }
    for (auto [x, y] : a.links) block_link(x, y, +1);
    for (auto [x, y] : a.client_links) block_link(x, y, +1);
    if (changes_link_quality(k)) recompute_links();
    const Time until = sim.now() + a.spec.duration;
    for (NodeId t : a.targets) {
        sim::Node& node = sim.node(t);
        sim::Disk* disk = world_.disks.empty() ? nullptr : world_.disks[t];
        if (a.links.empty() && k.impact == Impact::unavailable) ++unavailable_[t];
        if (k.impact == Impact::corrupt) ++corrupt_[t];
        if (crashes_node(k)) {
            if (crashed_[t]++ == 0) {
                if (disk && is(k, "lose-unsynced")) disk->set_torn_write_probability(0.0);
                if (disk && is(k, "torn-write")) disk->set_torn_write_probability(1.0);
                sim.crash(node);
                if (disk) disk->set_torn_write_probability(torn_default_[t]);
            }
            if (disk && is(k, "wipe-disk")) disk->wipe();
        } else if (is(k, "restart")) {
            if (crashed_[t] == 0) {
                sim.crash(node);
                sim.restart(node);
            }
        } else if (is(k, "pause")) {
            if (paused_[t]++ == 0) sim.pause(node);
        } else if (is(k, "clog")) {
            world_.network->clog_node(t, until);
        } else if (is(k, "bit-rot")) {
            disk->rot_random(static_cast<uint64_t>(param(a.spec, k, "bits")));
        } else if (is(k, "misdirected-write")) {
            disk->set_misdirect_probability(param(a.spec, k, "rate"));
        } else if (is(k, "latent-error")) {
            const std::vector<std::string> files = disk->list();
            sim::Rng rng = fault_rng(a.spec).fork(t);
            for (int i = 0; i < static_cast<int>(param(a.spec, k, "sectors")) && !files.empty();
                 ++i) {
                const std::string& f = files[rng.below(files.size())];
                const uint64_t sectors =
                    std::max<uint64_t>(1, disk->size(f) / sim::Disk::k_sector_bytes);
                disk->add_latent_error(f, rng.below(sectors));
            }
        } else if (is(k, "fsync-error")) {
            disk->set_fsync_error_probability(param(a.spec, k, "rate"));
        } else if (is(k, "truncate-error")) {
            disk->set_truncate_error_probability(param(a.spec, k, "rate"));
        } else if (is(k, "disk-full")) {
            disk->set_full(true);
        } else if (is(k, "disk-stall")) {
            disk->stall_until(until);
        } else if (is(k, "clock-skew")) {
            node.clock().jump(
                sim::Duration::nanos(static_cast<int64_t>(param(a.spec, k, "offset"))));
        } else if (is(k, "clock-drift")) {
            node.clock().set_drift(sim.now(), static_cast<int64_t>(param(a.spec, k, "ppm")));
        } else if (is(k, "clock-jump")) {
            node.clock().jump(
                sim::Duration::nanos(static_cast<int64_t>(param(a.spec, k, "delta"))));
        }
    }
}

void Injector::heal(Active& a) {
    if (a.healed) return;
    a.healed = true;
    sim::Simulation& sim = *world_.sim;
    sim.cancel(a.heal_timer);
    log_[a.log_index].healed_at = sim.now();
    if (world_.on_fault) world_.on_fault(a.log_index, true);
    const FaultKindInfo& k = *a.kind;
    if (k.takes_duration) {
        sim.record(sim::k_no_node, k_trace_heal, sim::hash_string(k.name),
                   [&] { return std::string(k.name); });
        sim.log().info("fault {} healed", k.name);
    }
    if (k.category == Category::application) {
        if (k.takes_duration) world_.application(a.spec, true);
        return;
    }
    for (auto [x, y] : a.links) block_link(x, y, -1);
    for (auto [x, y] : a.client_links) block_link(x, y, -1);
    if (changes_link_quality(k)) recompute_links();
    for (NodeId t : a.targets) {
        sim::Node& node = sim.node(t);
        sim::Disk* disk = world_.disks.empty() ? nullptr : world_.disks[t];
        if (a.links.empty() && k.impact == Impact::unavailable) --unavailable_[t];
        if (k.impact == Impact::corrupt) {
            // The node comes back holding damaged (or no) data; repairing it from its peers takes
            // a while, during which it still counts as holding a bad copy.
            timers_.push_back(
                sim.schedule_after(k_repair_grace, [this, t] { release_corrupt(t); }));
        }
        if (crashes_node(k)) {
            if (--crashed_[t] == 0) sim.restart(node);
        } else if (is(k, "pause")) {
            if (--paused_[t] == 0) sim.resume(node);
        } else if (is(k, "bit-rot") && param(a.spec, k, "then_restart") != 0 && crashed_[t] == 0) {
            // Rot at rest is found when the data is next read: at the node's recovery.
            sim.crash(node);
            sim.restart(node);
        } else if (is(k, "misdirected-write")) {
            disk->set_misdirect_probability(0.0);
        } else if (is(k, "latent-error")) {
            disk->clear_latent_errors();
        } else if (is(k, "fsync-error")) {
            disk->set_fsync_error_probability(0.0);
        } else if (is(k, "truncate-error")) {
            disk->set_truncate_error_probability(0.0);
        } else if (is(k, "disk-full")) {
            disk->set_full(false);
        } else if (is(k, "disk-stall")) {
            disk->stall_until(sim.now());
        } else if (is(k, "clock-skew")) {
            node.clock().jump(
                sim::Duration::nanos(-static_cast<int64_t>(param(a.spec, k, "offset"))));
        } else if (is(k, "clock-drift")) {
            node.clock().set_drift(sim.now(), 0);
        }
    }
}

void Injector::release_corrupt(sim::NodeId t) {
    sim::Simulation& sim = *world_.sim;
    // Only the budget `within` counts: beyond it, nothing waits for the repair.
    if (budget_ == Budget::within && world_.awaits_repair && world_.awaits_repair(t) &&
        sim.now() < heal_all_at_) {
        timers_.push_back(sim.schedule_after(k_repair_poll, [this, t] { release_corrupt(t); }));
        return;
    }
    SL_ASSERT(corrupt_[t] > 0);
    --corrupt_[t];
}

void Injector::heal_all() {
    for (auto& a : active_) heal(*a);
    if (world_.network) world_.network->unclog_all();
}

// ---- The nemesis ----------------------------------------------------------------------------

void Injector::next_nemesis_fault(Time at) {
    if (at >= Time::zero() + nemesis_.window_end) return;
    if (budget_ == Budget::within && at >= heal_all_at_) return;
    timers_.push_back(world_.sim->schedule_at(at, [this, at] {
        apply(draw_nemesis_fault(at), "nemesis");
        next_nemesis_fault(
            at + std::max(sim::Duration::nanos(1), rng_.exponential(nemesis_.mean_interval)));
    }));
}

FaultSpec Injector::draw_nemesis_fault(Time at) {
    double total = 0;
    for (const auto& [name, weight] : nemesis_.kinds) total += weight;
    double r = rng_.unit() * total;
    const FaultKindInfo* kind = nullptr;
    for (const auto& [name, weight] : nemesis_.kinds) {  // std::map: a fixed order
        kind = find_kind(name);
        if ((r -= weight) < 0) break;
    }
    SL_ASSERT(kind != nullptr);
    SL_ASSERT(!requires_sides(*kind) && "scenario validation keeps exact-only kinds out");
    FaultSpec spec;
    spec.kind = kind->name;
    spec.at = at - Time::zero();
    if (kind->takes_duration) spec.duration = rng_.between(nemesis_.fault_min, nemesis_.fault_max);
    const uint64_t pick = rng_.below(100);
    spec.target.kind = pick < 60   ? TargetKind::random
                       : pick < 85 ? TargetKind::minority
                                   : TargetKind::leader;
    if (spec.target.kind == TargetKind::leader && !world_.leader)
        spec.target.kind = TargetKind::random;
    for (const ParamInfo& p : kind->params) spec.params[p.name] = p.default_value;
    if (nemesis_.client_partitions > 0 && find_param(*kind, "clients") != nullptr)
        spec.params["clients"] = client_rng_.chance(nemesis_.client_partitions) ? 1 : 0;
    return spec;
}

std::string Injector::describe(const FaultSpec& spec) const {
    std::string s = spec.kind;
    if (spec.duration.ns() > 0) s += " for " + sim::format_duration(spec.duration);
    for (size_t i = 0; i < spec.sides.size(); ++i) {
        s += i == 0 ? " sides=" : "|";
        for (size_t j = 0; j < spec.sides[i].size(); ++j) s += (j ? "," : "") + spec.sides[i][j];
    }
    for (const auto& [name, value] : spec.params) {
        if (name == "clients" && value == 0) continue;  // as partitions always were: untold
        const FaultKindInfo* k = find_kind(spec.kind);
        const ParamInfo* p = k ? find_param(*k, name) : nullptr;
        if (p && p->type == ParamType::duration) {
            s += " " + name + "=" +
                 sim::format_duration(sim::Duration::nanos(static_cast<int64_t>(value)));
        } else {
            char buf[64];
            std::snprintf(buf, sizeof buf, " %s=%g", name.c_str(), value);
            s += buf;
        }
    }
    return s;
}

}  // namespace stormlog::faults
