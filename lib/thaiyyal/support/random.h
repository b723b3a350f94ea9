/// Random numbers for identifiers and unseeded runs: execution ids, trace and
/// span ids, UUIDs, the generator of a run without --seed. Not for secrets.
///
/// Each thread has its own generator, seeded once from the kernel
/// (getrandom(2)). std::random_device is not used per call: constructing one
/// executes CPUID, which in a virtual machine traps to the hypervisor and
/// costs more than a whole small run.
#pragma once

#include <cstdint>
#include <random>

namespace thaiyyal::support {

/// This thread's generator.
std::mt19937_64& thread_rng();

/// 64 random bits from this thread's generator.
inline std::uint64_t random_u64() { return thread_rng()(); }

}  // namespace thaiyyal::support
