# The circuit breaker's tests, included by tests/system/resilience/CMakeLists.txt.
stormlog_add_test(stormlog_breaker_tests
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/circuit_breaker_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/circuit_breaker_property_test.cpp
  LIBS stormlog_resilience)
