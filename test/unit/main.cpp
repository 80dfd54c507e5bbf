//===- main.cpp - Catch2 entry point for Kiln's unit tests ----------------===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
