#include "users_command.h"

#include <cstdlib>
#include <iostream>

#include <sodium.h>

#include "cli_io.h"
#include "exit_codes.h"
#include "server/config_loader.h"
#include "server/json_body.h"
#include "server/password_hasher.h"
#include "server/password_rules.h"
#include "keys/secret_source.h"
#include "server/server_app.h"
#include "writ/clock.h"

namespace writ::cli {
namespace {

struct Backend {
  std::shared_ptr<store::Store> store;
  server::PasswordPolicy policy;
};

Result<Backend> OpenBackend(const UsersCommandOptions& options) {
  Backend backend;
  std::string store = options.store;
  SecretBytes store_password;
  std::size_t store_pool_size = 2;
  if (store.starts_with("postgres:") && ::getenv("WRIT_STORE_PASSWORD") != nullptr) {
    // --store postgres:CONNINFO: the password comes from the environment, never argv.
    auto password = keys::ResolveSecret("env:WRIT_STORE_PASSWORD");
    if (!password) {
      return tl::unexpected(password.error());
    }
    store_password = std::move(*password);
  }
  if (store.empty()) {
    if (options.config_file.empty()) {
      return Fail(ErrorCode::kInvalidArgument, "give --store sqlite:PATH, --store postgres:CONNINFO or --config FILE");
    }
    server::LoadOptions load;
    load.config_path = options.config_file;
    auto config = server::LoadServerConfig(load);
    if (!config) {
      return tl::unexpected(config.error());
    }
    store = config->store;
    store_password = config->store_password;
    store_pool_size = config->store_pool_size;
    backend.policy = config->passwords;
  }
  auto opened = server::OpenStore(store, store_password, store_pool_size);
  if (!opened) {
    return tl::unexpected(opened.error());
  }
  backend.store = *opened;
  return backend;
}

std::vector<std::string> SplitRoles(const std::string& roles) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= roles.size()) {
    std::size_t comma = roles.find(',', start);
    std::string role = roles.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!role.empty()) {
      out.push_back(role);
    }
    if (comma == std::string::npos) {
      break;
    }
    start = comma + 1;
  }
  return out;
}

bool ValidRoles(const std::vector<std::string>& roles) {
  for (const std::string& role : roles) {
    if (role.size() > 32) {
      return false;
    }
    for (char c : role) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
        return false;
      }
    }
  }
  return !roles.empty();
}

// One line from stdin; the caller wipes it.
Result<std::string> ReadPassword() {
  auto input = ReadStdinLimited();
  if (!input) {
    return input;
  }
  std::string password = *input;
  sodium_memzero(input->data(), input->size());
  while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) {
    password.pop_back();
  }
  return password;
}

Result<std::string> NewPasswordHash(const server::PasswordPolicy& policy) {
  auto password = ReadPassword();
  if (!password) {
    return password;
  }
  Result<std::string> hash = Fail(ErrorCode::kInvalidArgument, "");
  if (auto acceptable = server::CheckNewPassword(*password, policy); !acceptable) {
    hash = Fail(ErrorCode::kInvalidArgument, acceptable.error().detail);
  } else if (auto hasher = server::PasswordHasher::Create(policy); !hasher) {
    hash = tl::unexpected(hasher.error());
  } else {
    hash = hasher->Hash(*password);
  }
  sodium_memzero(password->data(), password->size());
  return hash;
}

int Fails(std::string_view what) {
  std::cerr << "writ users: " << what << '\n';
  return kExitFailure;
}

Result<store::User> FindUser(store::Store& store, const std::string& name) {
  auto user = store.FindUserByName(server::NormalizeUsername(name));
  if (!user) {
    return tl::unexpected(user.error());
  }
  if (!*user) {
    return Fail(ErrorCode::kInvalidArgument, "no such user");
  }
  return **user;
}

int List(store::Store& store) {
  auto users = store.ListUsers();
  if (!users) {
    return Fails(users.error().detail);
  }
  for (const store::User& user : *users) {
    std::string roles;
    for (const std::string& role : user.roles) {
      roles += (roles.empty() ? "" : ",") + role;
    }
    std::cout << user.id << '\t' << user.username << '\t' << roles << '\t'
              << (user.disabled ? "disabled" : "active") << '\n';
  }
  return kExitOk;
}

int Add(Backend& backend, const UsersCommandOptions& options) {
  std::string username = server::NormalizeUsername(options.username);
  if (username.empty()) {
    return Fails("invalid username: 1-64 characters of a-z 0-9 . _ @ -");
  }
  std::vector<std::string> roles = SplitRoles(options.roles.empty() ? "user" : options.roles);
  if (!ValidRoles(roles)) {
    return Fails("invalid roles: comma-separated names of a-z 0-9 _ -");
  }
  auto hash = NewPasswordHash(backend.policy);
  if (!hash) {
    return Fails(hash.error().detail);
  }
  store::NewUser user;
  user.username = username;
  user.password_hash = *hash;
  user.roles = roles;
  user.created_at = DefaultClock()->Now();
  auto created = backend.store->CreateUser(user);
  if (!created) {
    return Fails(created.error().detail);
  }
  if (!*created) {
    return Fails("username taken");
  }
  std::cout << "added " << (*created)->id << ' ' << username << '\n';
  return kExitOk;
}

}  // namespace

UsersSubcommands AddUsersCommand(CLI::App& app, UsersCommandOptions& options) {
  CLI::App* users = app.add_subcommand("users", "Manage accounts in the store");
  users->require_subcommand(1);
  users->add_option("--store", options.store,
                     "sqlite:PATH or postgres:CONNINFO (password from WRIT_STORE_PASSWORD)");
  users->add_option("--config", options.config_file, "TOML configuration (its store and policy)");
  UsersSubcommands commands{};
  commands.add = users->add_subcommand("add", "Add a user; the password is read from stdin");
  commands.add->add_option("username", options.username)->required();
  commands.add->add_option("--roles", options.roles, "Comma-separated roles (default user)");
  commands.list = users->add_subcommand("list", "List users: id, name, roles, state");
  commands.disable = users->add_subcommand("disable", "Disable a user (logins and refreshes refused)");
  commands.disable->add_option("username", options.username)->required();
  commands.enable = users->add_subcommand("enable", "Enable a disabled user");
  commands.enable->add_option("username", options.username)->required();
  commands.set_password = users->add_subcommand("set-password", "Set a password, read from stdin");
  commands.set_password->add_option("username", options.username)->required();
  commands.set_roles = users->add_subcommand("set-roles", "Replace a user's roles");
  commands.set_roles->add_option("username", options.username)->required();
  commands.set_roles->add_option("roles", options.roles, "Comma-separated roles")->required();
  return commands;
}

int RunUsers(const UsersSubcommands& commands, const UsersCommandOptions& options) {
  auto backend = OpenBackend(options);
  if (!backend) {
    std::cerr << "writ users: " << backend.error().detail << '\n';
    return kExitUsage;
  }
  store::Store& store = *backend->store;
  if (commands.list->parsed()) {
    return List(store);
  }
  if (commands.add->parsed()) {
    return Add(*backend, options);
  }
  auto user = FindUser(store, options.username);
  if (!user) {
    return Fails(user.error().detail);
  }
  Result<bool> changed = false;
  if (commands.disable->parsed() || commands.enable->parsed()) {
    changed = store.SetDisabled(user->id, commands.disable->parsed());
  } else if (commands.set_password->parsed()) {
    auto hash = NewPasswordHash(backend->policy);
    if (!hash) {
      return Fails(hash.error().detail);
    }
    changed = store.SetPasswordHash(user->id, *hash);
  } else if (commands.set_roles->parsed()) {
    std::vector<std::string> roles = SplitRoles(options.roles);
    if (!ValidRoles(roles)) {
      return Fails("invalid roles: comma-separated names of a-z 0-9 _ -");
    }
    changed = store.SetRoles(user->id, roles);
  }
  if (!changed) {
    return Fails(changed.error().detail);
  }
  std::cout << "updated " << user->username << '\n';
  return kExitOk;
}

}  // namespace writ::cli
