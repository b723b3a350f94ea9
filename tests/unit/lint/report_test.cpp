// Tests of the report formats (lib/thaiyyal/lint/report.cpp).
#include <doctest/doctest.h>
