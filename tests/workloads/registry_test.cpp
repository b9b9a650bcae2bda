// The workload registry: one entry per workload, each name unique; every property a workload
// declares is in the property catalogue (so that names are spelled once); application faults are
// application-category kinds of the fault catalogue.

#include "workloads/registry.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "faults/catalogue.hpp"
#include "properties/catalogue.hpp"

namespace stormlog::workloads {
namespace {

TEST(Registry, NamesAreUniqueAndFoundByName) {
    std::set<std::string_view> names;
    for (const Workload* w : registry()) {
        EXPECT_TRUE(names.insert(w->name).second) << w->name;
        EXPECT_EQ(find_workload(w->name), w);
        EXPECT_NE(w->run, nullptr) << w->name;
        EXPECT_FALSE(w->summary.empty()) << w->name;
    }
    EXPECT_EQ(find_workload("no-such-workload"), nullptr);
    EXPECT_EQ(workload_names().size(), registry().size());
}

TEST(Registry, EveryDeclaredPropertyIsCataloguedOnce) {
    for (const Workload* w : registry()) {
        EXPECT_FALSE(w->properties.empty()) << w->name;
        std::set<std::string_view> seen;
        for (std::string_view p : w->properties) {
            EXPECT_NE(properties::find_property(p), nullptr) << w->name << ": " << p;
            EXPECT_TRUE(seen.insert(p).second) << w->name << " lists " << p << " twice";
            EXPECT_TRUE(w->checks(p));
        }
        EXPECT_FALSE(w->checks("no.such_property"));
    }
}

TEST(Registry, EveryCataloguedPropertyIsCheckedBySomeWorkload) {
    std::set<std::string_view> names;
    for (const properties::Property* p : properties::catalogue()) {
        EXPECT_TRUE(names.insert(p->name).second) << p->name << " is catalogued twice";
        bool checked = false;
        for (const Workload* w : registry()) checked = checked || w->checks(p->name);
        EXPECT_TRUE(checked) << p->name << " is checked by no workload";
    }
}

TEST(Registry, ApplicationFaultsAreApplicationKindsOfTheCatalogue) {
    bool any = false;
    for (const Workload* w : registry()) {
        for (std::string_view kind : w->application_faults) {
            const faults::FaultKindInfo* k = faults::find_kind(kind);
            ASSERT_NE(k, nullptr) << w->name << ": " << kind;
            EXPECT_EQ(k->category, faults::Category::application) << w->name << ": " << kind;
            EXPECT_TRUE(w->carries_out(kind));
            any = true;
        }
    }
    EXPECT_TRUE(any) << "the ledger carries out application faults";
}

TEST(Registry, OnlyWorkloadsWithClientsRecordAHistory) {
    EXPECT_TRUE(find_workload("store")->records_history);
    EXPECT_FALSE(find_workload("messaging")->records_history);
    EXPECT_TRUE(find_workload("ledger")->has_leader);
    EXPECT_FALSE(find_workload("kernel-smoke")->has_leader);
}

}  // namespace
}  // namespace stormlog::workloads
