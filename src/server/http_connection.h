// SpawnConnection: runs one HTTP/1.1 connection of an HttpServer as a coroutine on its
// socket's executor.
#ifndef WRIT_SERVER_HTTP_CONNECTION_H_
#define WRIT_SERVER_HTTP_CONNECTION_H_

#include <utility>  // Boost 1.74's Asio needs it before its own headers.

#include <memory>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "server/connection_hub.h"

namespace writ::server {

// Serves HTTP/1.1 on `socket` (TLS when `tls` is not null) until the peer or a limit ends
// the connection. The socket's executor must run one handler at a time (an io_context run
// by one thread, as HttpServer gives each connection, or a strand). Closes the socket at
// once when `hub` refuses the connection (max_connections reached, or stopping).
void SpawnConnection(const std::shared_ptr<ConnectionHub>& hub, boost::asio::ip::tcp::socket socket,
                     boost::asio::ssl::context* tls);

}  // namespace writ::server

#endif  // WRIT_SERVER_HTTP_CONNECTION_H_
