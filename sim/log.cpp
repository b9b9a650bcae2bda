#include "sim/log.hpp"

#include <spdlog/pattern_formatter.h>

#include "sim/simulation.hpp"

namespace stormlog::sim {
namespace {

// The %* flag: simulated true time, exact to the nanosecond.
class SimTimeFlag final : public spdlog::custom_flag_formatter {
  public:
    explicit SimTimeFlag(const Simulation* sim) : sim_(sim) {}

    void format(const spdlog::details::log_msg&, const std::tm&,
                spdlog::memory_buf_t& dest) override {
        const int64_t ns = sim_->now().ns();
        fmt::format_to(std::back_inserter(dest), "{}.{:09}s", ns / 1'000'000'000,
                       ns % 1'000'000'000);
    }

    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<SimTimeFlag>(sim_);
    }

  private:
    const Simulation* sim_;
};

}  // namespace

std::shared_ptr<spdlog::logger> make_sim_logger(const Simulation& sim, const std::string& name,
                                                std::shared_ptr<spdlog::sinks::sink> sink,
                                                int level) {
    auto logger = std::make_shared<spdlog::logger>(name, std::move(sink));
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<SimTimeFlag>('*', &sim).set_pattern("[%*] [%n] %l: %v");
    logger->set_formatter(std::move(formatter));
    logger->set_level(static_cast<spdlog::level::level_enum>(level));
    return logger;
}

}  // namespace stormlog::sim
