#include "writ/claims_builder.h"

#include "core/json_writer.h"
#include "core/strict_json.h"
#include "writ/verifier.h"

namespace writ {
namespace {

constexpr internal::JsonLimits kClaimsLimits{.max_bytes = kMaxTokenBytes, .max_depth = kMaxJsonDepth};

}  // namespace

Result<ClaimsBuilder> ClaimsBuilder::FromJson(std::string_view json_object) {
  auto object = internal::ParseStrictObject(json_object, kClaimsLimits);
  if (!object) {
    return tl::unexpected(object.error());
  }
  ClaimsBuilder builder;
  for (auto field : *object) {
    builder.members_.emplace_back(std::string(field.key), internal::ToJson(field.value));
  }
  return builder;
}

ClaimsBuilder& ClaimsBuilder::SetAudiences(const std::vector<std::string>& auds) {
  return SetStringList("aud", auds);
}

ClaimsBuilder& ClaimsBuilder::SetString(std::string_view name, std::string_view value) {
  std::string json;
  internal::AppendJsonString(json, value);
  SetRaw(name, std::move(json));
  return *this;
}

ClaimsBuilder& ClaimsBuilder::SetInteger(std::string_view name, std::int64_t value) {
  SetRaw(name, std::to_string(value));
  return *this;
}

ClaimsBuilder& ClaimsBuilder::SetBool(std::string_view name, bool value) {
  SetRaw(name, value ? "true" : "false");
  return *this;
}

ClaimsBuilder& ClaimsBuilder::SetStringList(std::string_view name, const std::vector<std::string>& values) {
  std::string json = "[";
  for (const std::string& value : values) {
    if (json.size() > 1) {
      json += ',';
    }
    internal::AppendJsonString(json, value);
  }
  json += ']';
  SetRaw(name, std::move(json));
  return *this;
}

Status ClaimsBuilder::SetJson(std::string_view name, std::string_view json_value) {
  if (auto status = internal::CheckStrictValue(json_value, kClaimsLimits); !status) {
    return status;
  }
  SetRaw(name, std::string(json_value));
  return {};
}

bool ClaimsBuilder::Has(std::string_view name) const {
  for (const auto& member : members_) {
    if (member.first == name) {
      return true;
    }
  }
  return false;
}

void ClaimsBuilder::Remove(std::string_view name) {
  std::erase_if(members_, [&](const auto& member) { return member.first == name; });
}

void ClaimsBuilder::SetRaw(std::string_view name, std::string raw_json) {
  for (auto& member : members_) {
    if (member.first == name) {
      member.second = std::move(raw_json);
      return;
    }
  }
  members_.emplace_back(std::string(name), std::move(raw_json));
}

std::string ClaimsBuilder::Build() const {
  std::string json = "{";
  for (const auto& [name, value] : members_) {
    if (json.size() > 1) {
      json += ',';
    }
    internal::AppendJsonString(json, name);
    json += ':';
    json += value;
  }
  json += '}';
  return json;
}

}  // namespace writ
