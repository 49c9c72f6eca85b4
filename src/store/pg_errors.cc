#include "store/pg_errors.h"

#include <exception>
#include <string>

#include <pqxx/except>

#include "core/printable.h"

namespace writ::store::pg {
namespace {

// A few SQLSTATEs an operator meets, named; the rest print as their code.
std::string_view DescribeSqlState(std::string_view state) {
  if (state == "57014") {
    return " (query_canceled: statement_timeout reached)";
  }
  if (state == "55P03") {
    return " (lock_not_available: lock_timeout reached)";
  }
  if (state == "23505") {
    return " (unique_violation)";
  }
  if (state == "23503") {
    return " (foreign_key_violation)";
  }
  if (state == "40001") {
    return " (serialization_failure)";
  }
  if (state == "40P01") {
    return " (deadlock_detected)";
  }
  if (state == "28P01" || state == "28000") {
    return " (authentication failed)";
  }
  if (state == "42P01") {
    return " (undefined_table: is the schema migrated?)";
  }
  if (state == "42501") {
    return " (insufficient_privilege)";
  }
  if (state.starts_with("08")) {
    return " (connection exception)";
  }
  if (state.starts_with("22")) {
    return " (data exception)";
  }
  return "";
}

// libpq's message about a lost connection, on one line and bounded.
std::string ConnectionMessage(const char* what) {
  std::string message = what != nullptr ? what : "";
  const std::size_t newline = message.find('\n');
  if (newline != std::string::npos) {
    message.resize(newline);
  }
  return internal::Printable(message, 200);
}

}  // namespace

tl::unexpected<Error> CurrentExceptionToError(std::string_view step, ConnectionFate& fate) {
  std::string detail = "postgres ";
  detail += step;
  detail += ": ";
  fate = ConnectionFate::kReusable;
  try {
    throw;
  } catch (const pqxx::broken_connection& e) {
    fate = ConnectionFate::kBroken;
    detail += step == "connect" ? "cannot connect: " : "connection lost: ";
    detail += ConnectionMessage(e.what());
  } catch (const pqxx::in_doubt_error&) {
    fate = ConnectionFate::kBroken;
    detail += "the connection broke during COMMIT; the outcome is unknown";
  } catch (const pqxx::sql_error& e) {
    const std::string& state = e.sqlstate();
    if (state.empty()) {
      detail += "statement failed";
    } else {
      detail += "SQLSTATE " + internal::Printable(state, 8);
      detail += DescribeSqlState(state);
    }
    if (state.starts_with("08")) {
      fate = ConnectionFate::kBroken;
    }
  } catch (const pqxx::usage_error&) {
    detail += "driver usage error";
  } catch (const pqxx::conversion_error&) {
    // Its message quotes the value that did not convert.
    detail += "a column did not convert to its C++ type";
  } catch (const std::bad_alloc&) {
    detail += "out of memory";
  } catch (const std::exception&) {
    detail += "driver error";
  } catch (...) {
    detail += "unknown exception";
  }
  return Fail(ErrorCode::kStorage, std::move(detail));
}

}  // namespace writ::store::pg
