#include "system/projections/downstream.hpp"

#include <algorithm>

#include "sim/assert.hpp"
#include "system/projections/buggify.hpp"

namespace stormlog::system::projections {

std::string Downstream::call(sim::Env& env, uint64_t key) {
    ++stats_.calls;
    ++in_flight_;
    stats_.in_flight_max = std::max(stats_.in_flight_max, in_flight_);
    struct Leave {
        uint64_t* n;
        ~Leave() {
            SL_ASSERT_FATAL(*n > 0);  // every call that entered leaves once
            --*n;
        }
    } leave{&in_flight_};
    if (down_) {
        env.sleep(options_.no_answer_after);
        ++stats_.failed;
        return name_ + " did not answer within " + sim::format_duration(options_.no_answer_after);
    }
    sim::Duration latency = env.rng().between(options_.latency_min, options_.latency_max) + extra_;
    if (SL_BUGGIFY(buggify::slow_dependency)) latency = latency + sim::Duration::millis(250);
    env.sleep(latency);
    received_.insert(key);
    return {};
}

}  // namespace stormlog::system::projections
