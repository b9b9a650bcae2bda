# The circuit breaker's sources, included by system/resilience/CMakeLists.txt.
target_sources(stormlog_resilience PRIVATE ${CMAKE_CURRENT_LIST_DIR}/circuit_breaker.cpp)
