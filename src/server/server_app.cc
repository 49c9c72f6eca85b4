#include "server/server_app.h"

#include <chrono>

#include "keys/secret_source.h"
#include "store/sqlite_store.h"

namespace writ::server {
namespace {

constexpr std::string_view kSqlitePrefix = "sqlite:";
constexpr auto kHousekeepingInterval = std::chrono::seconds{60};

template <typename T>
tl::unexpected<Error> Forward(const Result<T>& result, std::string_view context) {
  return Fail(result.error().code, std::string(context) + ": " + result.error().detail);
}

}  // namespace

Result<std::shared_ptr<store::Store>> OpenStore(const std::string& store) {
  if (store.rfind(kSqlitePrefix, 0) != 0) {
    return Fail(ErrorCode::kInvalidArgument, "store: only sqlite:PATH is supported by this build");
  }
  auto opened = store::OpenSqliteStore(store.substr(kSqlitePrefix.size()));
  if (!opened) {
    return tl::unexpected(opened.error());
  }
  return std::shared_ptr<store::Store>(std::move(*opened));
}

Result<std::unique_ptr<ServerApp>> ServerApp::Create(ServerConfig config_value,
                                                     std::shared_ptr<const Clock> clock) {
  auto config = std::make_shared<const ServerConfig>(std::move(config_value));
  std::unique_ptr<ServerApp> app(new ServerApp());
  AuthServices& services = app->services_;
  services.config = config;
  services.clock = clock;

  auto store = OpenStore(config->store);
  if (!store) {
    return Forward(store, "store");
  }
  services.store = *store;
  auto audit = AuditLog::Create(config->audit.sink, services.store, clock);
  if (!audit) {
    return Forward(audit, "audit sink");
  }
  services.audit = std::move(*audit);
  auto hasher = PasswordHasher::Create(config->passwords);
  if (!hasher) {
    return Forward(hasher, "passwords");
  }
  services.hasher = std::make_shared<const PasswordHasher>(std::move(*hasher));
  services.throttle = std::make_shared<Throttle>(config->throttle, clock);
  auto csrf = CsrfGuard::Create(config->csrf_key, config->allowed_origins);
  if (!csrf) {
    return Forward(csrf, "csrf_key");
  }
  services.csrf = std::make_shared<const CsrfGuard>(std::move(*csrf));
  app->revocations_ = std::make_shared<RevocationList>(clock);
  auto access_tokens = AccessTokens::Create(*config, app->revocations_, clock);
  if (!access_tokens) {
    return Forward(access_tokens, "tokens");
  }
  services.access_tokens = std::make_shared<const AccessTokens>(std::move(*access_tokens));
  services.sessions = std::make_shared<SessionService>(*config, services.store, app->revocations_,
                                                       services.access_tokens, clock);
  if (auto loaded = services.sessions->LoadRevocations(); !loaded) {
    return Forward(loaded, "store");
  }

  HttpServerOptions options;
  options.host = config->listen_host;
  options.port = config->listen_port;
  options.io_threads = config->threads;
  options.blocking_threads = config->hash_threads;
  options.limits = config->limits;
  if (config->tls) {
    auto key = keys::ResolveSecret(config->tls->private_key_source);
    if (!key) {
      return Forward(key, "tls.private_key");
    }
    options.tls_certificate_chain_file = config->tls->certificate_chain_file;
    auto bytes = key->expose_secret();
    options.tls_private_key_pem.assign(bytes.begin(), bytes.end());
  }
  auto http = HttpServer::Create(options, std::make_shared<AuthHandler>(services));
  if (!http) {
    return Forward(http, "listen");
  }
  app->http_ = std::move(*http);
  return app;
}

ServerApp::~ServerApp() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_signal_.notify_all();
  if (housekeeping_.joinable()) {
    housekeeping_.join();
  }
}

void ServerApp::Run() {
  housekeeping_ = std::thread([this] { Housekeeping(); });
  http_->Start();
  http_->RunUntilSignal();
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_signal_.notify_all();
  housekeeping_.join();
}

void ServerApp::Housekeeping() {
  std::unique_lock lock(mutex_);
  while (!stop_signal_.wait_for(lock, kHousekeepingInterval, [this] { return stopping_; })) {
    lock.unlock();
    const Seconds now = services_.clock->Now();
    revocations_->Prune();
    (void)services_.store->PruneDeniedTokens(now);
    (void)services_.store->PruneSessions(now - services_.config->sessions.access_ttl);
    (void)services_.store->PruneAudit(now - services_.config->audit.retention);
    lock.lock();
  }
}

}  // namespace writ::server
