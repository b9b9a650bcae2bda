// render_report IN.json OUT.html [--suite]: the HTML page of a run report (or, with --suite, of a
// suite summary), for the tests that open it in a headless browser. Exit 2 on bad input.

#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "reports/html.hpp"

int main(int argc, char** argv) {
    const bool suite = argc == 4 && std::string(argv[3]) == "--suite";
    if (argc != 3 && !suite) {
        std::cerr << "usage: render_report IN.json OUT.html [--suite]\n";
        return 2;
    }
    std::ifstream in(argv[1]);
    if (!in) {
        std::cerr << "render_report: cannot read " << argv[1] << "\n";
        return 2;
    }
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto data = nlohmann::ordered_json::parse(text, nullptr, false);
    if (data.is_discarded()) {
        std::cerr << "render_report: " << argv[1] << " is not JSON\n";
        return 2;
    }
    const std::string html = suite ? stormlog::reports::suite_report_html(data)
                                   : stormlog::reports::run_report_html(data);
    std::ofstream out(argv[2], std::ios::binary);
    out << html;
    if (!out.flush()) {
        std::cerr << "render_report: cannot write " << argv[2] << "\n";
        return 2;
    }
    return 0;
}
