// Tests of the rules in lib/thaiyyal/lint/rules_expression.cpp.
#include <doctest/doctest.h>

#include "lint_helpers.h"
