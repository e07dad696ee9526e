// tests/main.cpp: the Catch2 v2 main of the unit-test binary.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
