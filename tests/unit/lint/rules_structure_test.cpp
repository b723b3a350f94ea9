// Tests of the rules in lib/thaiyyal/lint/rules_structure.cpp.
#include <doctest/doctest.h>

#include "lint_helpers.h"
