// Pre-Authentication Encoding (PASETO spec, "Authentication Padding"): the only input
// PASETO ever MACs or signs, so that pieces cannot be shifted between fields.
#ifndef WRIT_CORE_PASETO_PAE_H_
#define WRIT_CORE_PASETO_PAE_H_

#include <initializer_list>
#include <string>
#include <string_view>

namespace writ::internal {

// LE64(count) || for each piece: LE64(length) || piece, with each LE64's top bit clear.
std::string Pae(std::initializer_list<std::string_view> pieces);

}  // namespace writ::internal

#endif  // WRIT_CORE_PASETO_PAE_H_
