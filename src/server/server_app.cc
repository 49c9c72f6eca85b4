#include "server/server_app.h"

#include <chrono>
#include <iostream>
#include <tuple>
#include <utility>

#include "core/printable.h"
#include "keys/secret_source.h"
#include "server/redis_throttle.h"
#include "server/token_keys.h"
#include "store/pg_store.h"
#include "store/redis_url.h"
#include "store/sqlite_store.h"

namespace writ::server {
namespace {

constexpr std::string_view kSqlitePrefix = "sqlite:";
constexpr auto kHousekeepingInterval = std::chrono::seconds{60};
// How often the store is read for revocations made by other instances: the bound on how
// long a revocation takes to reach an instance that missed its Redis notice (or runs
// without Redis), plus one store query.
constexpr auto kRevocationPollInterval = std::chrono::seconds{1};

template <typename T>
tl::unexpected<Error> Forward(const Result<T>& result, std::string_view context) {
  return Fail(result.error().code, std::string(context) + ": " + result.error().detail);
}

// The throttle — in Redis when `redis` is configured (services.redis is then set), else in
// memory. Redis being down at start is not fatal: the throttle refuses logins (fail
// closed) and /readyz answers 503 until it is back.
Status OpenSharedState(const ServerConfig& config, const std::shared_ptr<const Clock>& clock,
                       AuthServices& services) {
  if (config.redis.empty()) {
    services.throttle = std::make_shared<Throttle>(config.throttle, clock);
    return {};
  }
  auto url = store::ParseRedisUrl(config.redis);
  if (!url) {
    return tl::unexpected(url.error());
  }
  store::RedisOptions options;
  options.url = *url;
  options.password = config.redis_password;
  services.redis = std::make_shared<store::RedisClient>(std::move(options));
  services.throttle = std::make_shared<Throttle>(
      config.throttle, clock, std::make_shared<RedisThrottle>(config.throttle, services.redis));
  if (auto ping = services.redis->Ping(); !ping) {
    std::cerr << "writ: warning: " << ping.error().detail
              << "; logins are refused (503) until Redis answers" << std::endl;
  } else {
    std::cerr << "writ: redis at " << store::DescribeRedis(*url) << std::endl;
  }
  return {};
}

}  // namespace

Result<std::shared_ptr<store::Store>> OpenStore(const std::string& store,
                                                const SecretBytes& password,
                                                std::size_t pool_size) {
  constexpr std::string_view kPostgresPrefix = "postgres:";
  Result<std::unique_ptr<store::Store>> opened = Fail(ErrorCode::kInvalidArgument, "");
  if (store.starts_with(kPostgresPrefix)) {
    store::PostgresOptions options;
    options.conninfo = store.substr(kPostgresPrefix.size());
    options.password = password;
    options.pool_size = pool_size;
    opened = store::OpenPostgresStore(options);
  } else if (store.starts_with(kSqlitePrefix)) {
    opened = store::OpenSqliteStore(store.substr(kSqlitePrefix.size()));
  } else {
    return Fail(ErrorCode::kInvalidArgument, "store: write sqlite:PATH or postgres:CONNINFO");
  }
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

  auto store = OpenStore(config->store, config->store_password, config->store_pool_size);
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
  if (auto opened = OpenSharedState(*config, clock, services); !opened) {
    return Forward(opened, "redis");
  }
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
  app->access_tokens_ = std::make_shared<AccessTokens>(std::move(*access_tokens));
  services.access_tokens = app->access_tokens_;
  auto jwks = JwksPublisher::Create(config->published_keys, config->jwks_max_age,
                                    config->sessions.access_ttl);
  if (!jwks) {
    return Forward(jwks, "tokens.signing_keys");
  }
  app->jwks_ = std::move(*jwks);
  services.jwks = app->jwks_;
  auto assertions = ServiceAssertions::Create(*config, clock);
  if (!assertions) {
    return Forward(assertions, "tokens.scoped_signing_keys");
  }
  app->assertions_ = std::move(*assertions);
  services.assertions = app->assertions_;
  for (const ScopedKeys& scoped : config->scoped_keys) {
    auto publisher = JwksPublisher::Create(scoped.published, scoped.jwks_max_age, config->assertion_ttl);
    if (!publisher) {
      return Forward(publisher, "tokens.scoped_signing_keys");
    }
    app->scoped_jwks_.emplace(scoped.audience, *publisher);
    services.scoped_jwks.emplace(scoped.audience, std::move(*publisher));
  }
  services.sessions = std::make_shared<SessionService>(*config, services.store, app->revocations_,
                                                       services.access_tokens, clock);
  if (config->pages_enabled && config->web_root.empty()) {
    services.pages = std::make_shared<const WebPages>(WebPages::Embedded());
  } else if (config->pages_enabled) {
    auto pages = WebPages::FromDirectory(config->web_root);
    if (!pages) {
      return Forward(pages, "pages");
    }
    services.pages = std::make_shared<const WebPages>(std::move(*pages));
  }
  if (auto loaded = services.sessions->LoadRevocations(); !loaded) {
    return Forward(loaded, "store");
  }
  if (services.redis != nullptr) {
    app->revocation_feed_ = std::make_shared<RevocationFeed>(services.redis, app->revocations_, clock);
    services.sessions->SetBroadcaster(app->revocation_feed_);
  }

  HttpServerOptions options;
  ServerApp* self = app.get();
  options.reload_hook = [self] {
    {
      std::lock_guard lock(self->mutex_);
      self->reload_requested_ = true;
    }
    self->stop_signal_.notify_all();
  };
  options.host = config->listen_host;
  options.port = config->listen_port;
  options.io_threads = config->threads;
  options.store_threads = config->store_pool_size;  // a thread per connection (sqlite: 8)
  options.hashing_threads = config->hash_threads;
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
  if (revocation_feed_ != nullptr) {
    revocation_feed_->Start();
  }
  housekeeping_ = std::thread([this] { Housekeeping(); });
  http_->Start();
  http_->RunUntilSignal();
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_signal_.notify_all();
  housekeeping_.join();
  if (revocation_feed_ != nullptr) {
    revocation_feed_->Stop();
  }
}

void ServerApp::PollRevocations() {
  // Logged when it starts and stops failing, not every second.
  auto loaded = services_.sessions->LoadRevocations();
  if (!loaded && !revocation_poll_failing_) {
    std::cerr << "writ: revocation poll: " << loaded.error().detail << std::endl;
  } else if (loaded && revocation_poll_failing_) {
    std::cerr << "writ: revocation poll: the store answers again" << std::endl;
  }
  revocation_poll_failing_ = !loaded;
}

void ServerApp::PruneExpired() {
  const Seconds now = services_.clock->Now();
  revocations_->Prune();
  (void)services_.store->PruneDeniedTokens(now);
  (void)services_.store->PruneSessions(now - services_.config->sessions.access_ttl);
  (void)services_.store->PruneAudit(now - services_.config->audit.retention);
}

void ServerApp::Housekeeping() {
  std::unique_lock lock(mutex_);
  auto next_prune = std::chrono::steady_clock::now() + kHousekeepingInterval;
  while (true) {
    stop_signal_.wait_for(lock, kRevocationPollInterval,
                          [this] { return stopping_ || reload_requested_; });
    if (stopping_) {
      return;
    }
    const bool reload = std::exchange(reload_requested_, false);
    lock.unlock();
    if (reload) {
      (void)ReloadKeys();
    }
    PollRevocations();
    if (std::chrono::steady_clock::now() >= next_prune) {
      PruneExpired();
      next_prune = std::chrono::steady_clock::now() + kHousekeepingInterval;
    }
    lock.lock();
  }
}

Status ServerApp::ReloadKeys() {
  const ServerConfig& config = *services_.config;
  if (config.signing_keys_source.empty()) {
    std::cerr << "writ: reload: the --dev signing key is ephemeral; nothing to reload" << std::endl;
    return {};
  }
  std::vector<std::string> warnings;
  auto document = keys::ResolveSecret(config.signing_keys_source, config.source_policy, warnings);
  Result<TokenKeys> keys = document ? LoadTokenKeys(*document, "tokens.signing_keys",
                                                    TokenKeyRules{
                                                        .environment = config.environment,
                                                        .access_ttl = config.sessions.access_ttl,
                                                        .jwks_max_age = config.jwks_max_age_limit,
                                                        .now = services_.clock->Now()},
                                                    warnings)
                                    : Result<TokenKeys>(tl::unexpected(document.error()));
  Status applied = keys ? jwks_->Replace(keys->published, keys->jwks_max_age) : Status();
  if (keys && applied) {
    applied = access_tokens_->ReplaceKeys(keys->signing_key, keys->verification_keys);
  }
  for (const ScopedKeys& scoped : config.scoped_keys) {
    if (auto reloaded = ReloadScopedKeys(scoped, warnings); !reloaded) {
      warnings.push_back("tokens.scoped_signing_keys (" + scoped.audience +
                         "): not reloaded, its current keys stay in force: " +
                         reloaded.error().detail);
    }
  }
  for (const auto& [path, source, current] :
       {std::tuple{"secrets.refresh_hash_key", &config.refresh_hash_key_source,
                   &config.refresh_hash_key},
        std::tuple{"secrets.csrf_key", &config.csrf_key_source, &config.csrf_key}}) {
    if (source->empty()) {
      continue;
    }
    auto reread = keys::ResolveSecret(*source, config.source_policy, warnings);
    if (reread && *reread != *current) {
      warnings.push_back(std::string(path) +
                         " changed at its source; it is not applied on reload because a new key "
                         "ends every session — restart writ to apply it");
    }
  }
  for (const std::string& warning : warnings) {
    std::cerr << "writ: warning: " << warning << std::endl;
  }
  if (!keys || !applied) {
    const Error& error = !keys ? keys.error() : applied.error();
    std::cerr << "writ: reload failed, the current keys stay in force: " << error.detail
              << std::endl;
    return tl::unexpected(error);
  }
  std::cerr << "writ: reloaded tokens.signing_keys: active key \""
            << internal::Printable(keys->signing_key.kid()) << "\", "
            << keys->verification_keys.size() << " verification keys" << std::endl;
  return {};
}

Status ServerApp::ReloadScopedKeys(const ScopedKeys& scoped, std::vector<std::string>& warnings) {
  const ServerConfig& config = *services_.config;
  auto document = keys::ResolveSecret(scoped.source, config.source_policy, warnings);
  if (!document) {
    return tl::unexpected(document.error());
  }
  const TokenKeyRules rules{.environment = config.environment,
                            .access_ttl = config.assertion_ttl,
                            .jwks_max_age = config.jwks_max_age_limit,
                            .now = services_.clock->Now()};
  auto keys = LoadTokenKeys(*document, "tokens.scoped_signing_keys (" + scoped.audience + ")",
                            rules, warnings);
  if (!keys) {
    return tl::unexpected(keys.error());
  }
  if (auto published = scoped_jwks_.at(scoped.audience)->Replace(keys->published, keys->jwks_max_age);
      !published) {
    return published;
  }
  return assertions_->ReplaceKey(scoped.audience, keys->signing_key);
}

}  // namespace writ::server
