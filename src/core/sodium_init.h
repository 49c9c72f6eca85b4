// libsodium must be initialised once before its CSPRNG or secure memory is used.
#ifndef WRIT_CORE_SODIUM_INIT_H_
#define WRIT_CORE_SODIUM_INIT_H_

namespace writ::internal {

// Calls sodium_init() once per process (thread-safe); aborts if libsodium cannot start.
void EnsureSodium();

}  // namespace writ::internal

#endif  // WRIT_CORE_SODIUM_INIT_H_
