// IdIndex against a std::map model: random inserts and lookups of ids from a small pool (so
// repeats, and with many ids slot collisions and growth, happen), every answer the same, and an
// id keeps its first position.

#include "system/store/id_index.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace stormlog::system::store {
namespace {

RC_GTEST_PROP(IdIndex, AgreesWithAMapModel, ()) {
    IdIndex index;
    std::vector<std::string> at;  // the id stored at each position, as EventStore keeps them
    std::map<std::string, int64_t> model;
    const auto id_at = [&at](int64_t p) -> std::string_view { return at[static_cast<size_t>(p)]; };
    const int steps = *rc::gen::inRange(0, 400);
    const int pool = *rc::gen::inRange(1, 300);
    for (int i = 0; i < steps; ++i) {
        const std::string id = "e" + std::to_string(*rc::gen::inRange(0, pool));
        if (*rc::gen::arbitrary<bool>()) {
            const auto position = static_cast<int64_t>(at.size());
            at.push_back(id);
            const bool fresh = model.emplace(id, position).second;
            RC_ASSERT(index.insert(id, position, id_at) == fresh);
        }
        const auto it = model.find(id);
        RC_ASSERT(index.find(id, id_at) == (it == model.end() ? -1 : it->second));
    }
    RC_ASSERT(index.size() == model.size());
}

TEST(IdIndex, EmptyFindsNothingAndFirstPositionWins) {
    IdIndex index;
    std::vector<std::string> at{"a", "b", "a"};
    const auto id_at = [&at](int64_t p) -> std::string_view { return at[static_cast<size_t>(p)]; };
    EXPECT_EQ(index.find("a", id_at), -1);
    EXPECT_TRUE(index.insert("a", 0, id_at));
    EXPECT_TRUE(index.insert("b", 1, id_at));
    EXPECT_FALSE(index.insert("a", 2, id_at));
    EXPECT_EQ(index.find("a", id_at), 0);
    EXPECT_EQ(index.find("b", id_at), 1);
    EXPECT_EQ(index.find("c", id_at), -1);
    EXPECT_EQ(index.size(), 2u);
}

}  // namespace
}  // namespace stormlog::system::store
