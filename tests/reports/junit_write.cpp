// junit_write SUITE_JSON OUT_XML: junit_xml() of a suite JSON file, for the XSD check of
// check_junit_xsd.sh (xmllint validates what this writes).

#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "reports/junit.hpp"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: junit_write SUITE_JSON OUT_XML\n");
        return 2;
    }
    std::ifstream in(argv[1]);
    const auto summary = nlohmann::ordered_json::parse(in);
    std::ofstream out(argv[2], std::ios::binary);
    out << stormlog::reports::junit_xml(summary);
    return out.good() ? 0 : 1;
}
